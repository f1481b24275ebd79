import { matchPriceTypes } from './price-types';

const g = (label: string, currency: string) => ({ label, currency });
const t = (id: string, name: string, currency_code: string) => ({ id, name, currency_code });

describe('matchPriceTypes', () => {
  it('matches by name first, then by a free type of the currency not named after another group', () => {
    const types = [t('a', 'Retailer USD', 'USD'), t('b', 'USD', 'USD'), t('c', 'Wholesale USD', 'USD')];
    const out = matchPriceTypes([g('WHOLESALE USD', 'USD'), g('OUTLET USD', 'USD'), g('RETAILER USD', 'USD')], types);
    expect(out.map((m) => [m.group.label, m.type?.id ?? null, m.by])).toEqual([
      ['WHOLESALE USD', 'c', 'name'],
      ['OUTLET USD', 'b', 'currency'],
      ['RETAILER USD', 'a', 'name'],
    ]);
  });

  it('never gives one type to two groups, nor a type of another currency', () => {
    const out = matchPriceTypes([g('A', 'EUR'), g('B', 'EUR'), g('C', 'GBP')], [t('1', 'Euro', 'EUR'), t('2', 'C', 'USD')]);
    expect(out.map((m) => m.type?.id ?? null)).toEqual(['1', null, null]);
  });
});
