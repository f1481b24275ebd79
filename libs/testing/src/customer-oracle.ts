import type { AmcCustomer } from '@app/sandbox-seed';
import type { JoorCustomerState } from './customer-sync-stack';

/** What JOOR must hold of one AMC customer after customer sync: written from the customer notes, not from the mapper. */
export interface ExpectedJoorCustomer {
  customer_code: string;
  customer_name: string;
  customer_contact_email?: string;
  billing_address?: Record<string, string>;
  shipping_addresses?: Array<Record<string, string>>;
}

const ADDRESS = ['address_1', 'address_2', 'city', 'state', 'postal_code', 'country'] as const;

function address(source: Record<string, string>): Record<string, string> {
  return Object.fromEntries(ADDRESS.filter((f) => (source[f] ?? '').trim() !== '').map((f) => [f, source[f].trim()]));
}

/**
 * The JOOR customers the brand's AMC customers must become, by code: every active customer with a
 * JOOR code (and a code no other active customer carries), its name, email, its own address as the
 * billing address and its locations as shipping addresses, the main one first, each named by its
 * AMC ship-to id.
 */
export function expectedJoorCustomers(customers: AmcCustomer[]): Map<string, ExpectedJoorCustomer> {
  const active = customers.filter((c) => c.status === 'active' && c.joor_customer_code.trim() !== '');
  const holders = new Map<string, number>();
  for (const c of active) holders.set(c.joor_customer_code.trim(), (holders.get(c.joor_customer_code.trim()) ?? 0) + 1);
  const out = new Map<string, ExpectedJoorCustomer>();
  for (const c of active) {
    const code = c.joor_customer_code.trim();
    if (holders.get(code)! > 1) continue;
    const main = c.locations.filter((l) => l.is_main_location === '1');
    const rest = c.locations.filter((l) => l.is_main_location !== '1');
    out.set(code, {
      customer_code: code,
      customer_name: c.customer_name.trim(),
      ...(c.email.trim() ? { customer_contact_email: c.email.trim() } : {}),
      billing_address: address(c as unknown as Record<string, string>),
      shipping_addresses: [...main, ...rest].map((l) => ({ code: l.ship_to_id, name: l.name, ...address(l as unknown as Record<string, string>) })),
    });
  }
  return out;
}

/** The same fields of what JOOR holds, for the codes given (a customer JOOR lacks is absent). */
export function actualJoorCustomers(joor: Map<string, JoorCustomerState>, codes: Iterable<string>): Map<string, ExpectedJoorCustomer> {
  const out = new Map<string, ExpectedJoorCustomer>();
  for (const code of codes) {
    const c = joor.get(code);
    if (!c) continue;
    out.set(code, {
      customer_code: c.customer_code,
      customer_name: c.customer_name,
      ...(c.customer_contact_email ? { customer_contact_email: c.customer_contact_email } : {}),
      ...(c.billing_address ? { billing_address: c.billing_address } : {}),
      ...(c.shipping_addresses ? { shipping_addresses: c.shipping_addresses } : {}),
    });
  }
  return out;
}
