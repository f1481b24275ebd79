import { payloadHash } from '../catalog/payload-hash';
import type { AmcCustomerAddressSource, AmcCustomerLocationSource, AmcCustomerSource, JoorCustomerAddress, JoorCustomerPayload, JoorCustomerShippingAddress, MappedCustomer } from './customer.types';

/** JOOR's documented limit of `customer_code`; JOOR judges the other fields itself (its log says why it refuses one). */
export const JOOR_CUSTOMER_CODE_MAX = 50;

/** AMC status texts that mean the customer is not active (case-insensitive); anything else, blank included, is active. */
const INACTIVE_STATUSES = new Set(['inactive', '0', 'no', 'false', 'closed', 'disabled', 'deleted', 'archived']);

const ADDRESS_FIELDS = ['address_1', 'address_2', 'city', 'state', 'postal_code', 'country'] as const;

/** Trimmed text, or undefined when blank. */
function text(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const isYes = (flag: string | null | undefined) => typeof flag === 'string' && /^(1|y|yes|true)$/i.test(flag.trim());

function address(source: AmcCustomerAddressSource): JoorCustomerAddress | undefined {
  const out: JoorCustomerAddress = {};
  for (const field of ADDRESS_FIELDS) {
    const value = text(source[field]);
    if (value !== undefined) out[field] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The locations with an address, the main one first, the others in AMC's order. */
function shippingAddresses(locations: AmcCustomerLocationSource[]): JoorCustomerShippingAddress[] {
  const ordered = [...locations.filter((l) => isYes(l.is_main_location)), ...locations.filter((l) => !isYes(l.is_main_location))];
  const out: JoorCustomerShippingAddress[] = [];
  for (const location of ordered) {
    const where = address(location);
    if (!where) continue;
    const name = text(location.name);
    out.push({ code: location.ship_to_id, ...(name ? { name } : {}), ...where });
  }
  return out;
}

function fullName(first: string | null | undefined, last: string | null | undefined): string | undefined {
  return text([text(first), text(last)].filter(Boolean).join(' '));
}

/**
 * One AMC customer as a JOOR customer (pure). Sent when it is active in AMC and carries a JOOR code:
 * the code as `customer_code` (how JOOR matches: a code it knows updates that customer), the name, the
 * main contact (the main person on the record, else the first, else the customer's own first and last
 * name) and their email (else the customer's), the customer's address as the billing address, its
 * locations as shipping addresses (the main one first, each with its AMC id as code), its category as
 * JOOR's customer group and its first salesperson's id as the sales rep code, where AMC has them.
 * Blank values are left out (JOOR keeps what it has).
 */
export function mapCustomer(customer: AmcCustomerSource): MappedCustomer {
  const code = text(customer.joor_customer_code) ?? null;
  const name = text(customer.customer_name) ?? null;
  const label = `AMC customer ${customer.customer_id}${name ? ` (${name})` : ''}`;
  if (!code) return { kind: 'skip', code: null, name, reason: `${label} has no JOOR code in AMC: not sent (the brand has not linked it to a JOOR customer)` };
  const status = text(customer.status);
  if (status && INACTIVE_STATUSES.has(status.toLowerCase())) return { kind: 'skip', code, name, reason: `${label} is ${status} in AMC: not sent` };
  if (code.length > JOOR_CUSTOMER_CODE_MAX) {
    return { kind: 'refuse', code, name, reason: `${label}: its JOOR code "${code}" is ${code.length} characters long; JOOR takes at most ${JOOR_CUSTOMER_CODE_MAX}` };
  }
  if (!name) return { kind: 'refuse', code, name, reason: `${label} (JOOR code ${code}) has no name in AMC; JOOR needs a customer name` };

  const people = customer.people ?? [];
  const contact = people.find((p) => isYes(p.is_main_contact)) ?? people[0];
  const contactName = (contact && fullName(contact.first_name, contact.last_name)) ?? fullName(customer.first_name, customer.last_name);
  const contactEmail = text(contact?.email) ?? text(customer.email);
  const group = text(customer.category);
  const rep = (customer.salespeople ?? []).map((s) => text(s.salesperson_id)).find(Boolean);
  const billing = address(customer);
  const shipping = shippingAddresses(customer.locations ?? []);
  const payload: JoorCustomerPayload = {
    customer_code: code,
    customer_name: name,
    ...(contactName ? { customer_contact_name: contactName } : {}),
    ...(contactEmail ? { customer_contact_email: contactEmail } : {}),
    ...(group ? { customer_group_name: group } : {}),
    ...(rep ? { sales_rep_code: rep } : {}),
    ...(billing ? { billing_address: billing } : {}),
    ...(shipping.length ? { shipping_addresses: shipping } : {}),
  };
  return { kind: 'send', code, name, payload, hash: payloadHash(payload) };
}

/** One AMC customer as the duplicate-code check sees it. */
export interface CodeHolder {
  amcCustomerId: string;
  code: string;
  name: string | null;
}

/**
 * Codes that more than one AMC customer carries, each with the reason both (all) are refused: JOOR
 * matches on the code, so sending either would let one overwrite the other there (pure).
 */
export function duplicateCodes(holders: CodeHolder[]): Map<string, { holders: CodeHolder[]; reason: string }> {
  const byCode = new Map<string, CodeHolder[]>();
  for (const holder of holders) byCode.set(holder.code, [...(byCode.get(holder.code) ?? []), holder]);
  const out = new Map<string, { holders: CodeHolder[]; reason: string }>();
  for (const [code, list] of byCode) {
    const unique = [...new Map(list.map((h) => [h.amcCustomerId, h])).values()].sort((a, b) => compareIds(a.amcCustomerId, b.amcCustomerId));
    if (unique.length < 2) continue;
    const named = unique.map((h) => `AMC customer ${h.amcCustomerId}${h.name ? ` (${h.name})` : ''}`);
    const both = `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
    out.set(code, { holders: unique, reason: `JOOR code ${code} is carried by ${both} in AMC; JOOR matches customers on the code, so none of them is sent until only one carries it` });
  }
  return out;
}

/** AMC ids in numeric order where they are numbers. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
