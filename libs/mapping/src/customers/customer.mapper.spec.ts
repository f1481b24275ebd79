import { duplicateCodes, mapCustomer } from './customer.mapper';
import type { AmcCustomerSource } from './customer.types';

const customer: AmcCustomerSource = {
  customer_id: '7',
  account_number: 'C00007',
  customer_name: ' Maison Nord ',
  address_1: '12 Rue Haute',
  address_2: '',
  city: 'Lille',
  state: '',
  postal_code: '59000',
  country: 'FR',
  email: 'buyer@maison-nord.example.com',
  status: 'active',
  joor_customer_code: 'JC-C00007',
  locations: [
    { ship_to_id: '31', name: 'Maison Nord - Paris', address_1: '3 Rue Basse', address_2: '', city: 'Paris', state: '', postal_code: '75001', country: 'FR', is_main_location: '0' },
    { ship_to_id: '30', name: 'Maison Nord', address_1: '12 Rue Haute', address_2: '', city: 'Lille', state: '', postal_code: '59000', country: 'FR', is_main_location: '1' },
  ],
};

describe('mapCustomer', () => {
  it('sends an active coded customer: code, name, email, billing address, locations as shipping addresses (main first)', () => {
    const out = mapCustomer(customer);
    expect(out).toEqual({
      kind: 'send',
      code: 'JC-C00007',
      name: 'Maison Nord',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      payload: {
        customer_code: 'JC-C00007',
        customer_name: 'Maison Nord',
        customer_contact_email: 'buyer@maison-nord.example.com',
        billing_address: { address_1: '12 Rue Haute', city: 'Lille', postal_code: '59000', country: 'FR' },
        shipping_addresses: [
          { code: '30', name: 'Maison Nord', address_1: '12 Rue Haute', city: 'Lille', postal_code: '59000', country: 'FR' },
          { code: '31', name: 'Maison Nord - Paris', address_1: '3 Rue Basse', city: 'Paris', postal_code: '75001', country: 'FR' },
        ],
      },
    });
  });

  it('maps the contact, group and sales rep where AMC has them', () => {
    const out = mapCustomer({
      ...customer,
      first_name: 'Ana',
      last_name: 'Lima',
      category: 'Boutique',
      salespeople: [
        { salesperson_id: '', name: 'Nobody' },
        { salesperson_id: 'REP-4', name: 'Jo' },
      ],
      people: [
        { first_name: 'Sam', last_name: 'Roe', email: 'sam@x.example', is_main_contact: '0' },
        { first_name: 'Kim', last_name: '', email: 'kim@x.example', is_main_contact: '1' },
      ],
    });
    expect(out.kind === 'send' && out.payload).toMatchObject({ customer_contact_name: 'Kim', customer_contact_email: 'kim@x.example', customer_group_name: 'Boutique', sales_rep_code: 'REP-4' });
    const noPeople = mapCustomer({ ...customer, first_name: 'Ana', last_name: 'Lima', people: [] });
    expect(noPeople.kind === 'send' && noPeople.payload.customer_contact_name).toBe('Ana Lima');
  });

  it('skips a customer without a JOOR code, or inactive in AMC, saying why', () => {
    expect(mapCustomer({ ...customer, joor_customer_code: '  ' })).toEqual({ kind: 'skip', code: null, name: 'Maison Nord', reason: expect.stringContaining('has no JOOR code in AMC') });
    expect(mapCustomer({ ...customer, status: 'Inactive' })).toEqual({ kind: 'skip', code: 'JC-C00007', name: 'Maison Nord', reason: expect.stringContaining('is Inactive in AMC') });
    expect(mapCustomer({ ...customer, status: '' }).kind).toBe('send');
  });

  it('refuses a customer without a name, or with a code longer than JOOR takes', () => {
    expect(mapCustomer({ ...customer, customer_name: ' ' })).toEqual({
      kind: 'refuse',
      code: 'JC-C00007',
      name: null,
      reason: 'AMC customer 7 (JOOR code JC-C00007) has no name in AMC; JOOR needs a customer name',
    });
    expect(mapCustomer({ ...customer, joor_customer_code: 'X'.repeat(51) })).toMatchObject({ kind: 'refuse', reason: expect.stringContaining('is 51 characters long; JOOR takes at most 50') });
  });

  it('changes its hash with what JOOR is sent, not with what it is not', () => {
    const hash = (c: AmcCustomerSource) => {
      const out = mapCustomer(c);
      return out.kind === 'send' ? out.hash : '';
    };
    expect(hash(customer)).toBe(hash({ ...customer, phone: '555', terms_id: '2' } as AmcCustomerSource));
    expect(hash(customer)).toBe(hash({ ...customer, locations: [...customer.locations!].reverse() }));
    expect(hash(customer)).not.toBe(hash({ ...customer, city: 'Roubaix' }));
    expect(hash(customer)).not.toBe(hash({ ...customer, locations: [{ ...customer.locations![0], postal_code: '75002' }, customer.locations![1]] }));
  });
});

describe('duplicateCodes', () => {
  it('names every AMC customer carrying a code twice; one holder is no duplicate', () => {
    const found = duplicateCodes([
      { amcCustomerId: '12', code: 'JC-1', name: 'B' },
      { amcCustomerId: '3', code: 'JC-1', name: 'A' },
      { amcCustomerId: '4', code: 'JC-2', name: null },
      { amcCustomerId: '4', code: 'JC-2', name: null },
    ]);
    expect([...found.keys()]).toEqual(['JC-1']);
    expect(found.get('JC-1')).toEqual({
      holders: [
        { amcCustomerId: '3', code: 'JC-1', name: 'A' },
        { amcCustomerId: '12', code: 'JC-1', name: 'B' },
      ],
      reason: 'JOOR code JC-1 is carried by AMC customer 3 (A) and AMC customer 12 (B) in AMC; JOOR matches customers on the code, so none of them is sent until only one carries it',
    });
  });
});
