/**
 * What the customer mapping reads (an AMC customer as the AMC client gives it; the client's
 * `AmcCustomer` fits) and what it produces (a JOOR v2 customer, "connection"; the JOOR client's
 * `JoorConnectionInput` fits). Owned here, so mapping imports no client.
 */

export interface AmcCustomerAddressSource {
  address_1?: string | null;
  address_2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}

export interface AmcCustomerLocationSource extends AmcCustomerAddressSource {
  ship_to_id: string;
  name?: string | null;
  is_main_location?: string | null;
}

/** A contact person on the AMC customer record. */
export interface AmcCustomerPersonSource {
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  is_main_contact?: string | null;
}

export interface AmcCustomerSalespersonSource {
  salesperson_id?: string | null;
  name?: string | null;
}

export interface AmcCustomerSource extends AmcCustomerAddressSource {
  customer_id: string;
  customer_name?: string | null;
  account_number?: string | null;
  email?: string | null;
  /** AMC's status text; blank or anything but an inactive word reads as active. */
  status?: string | null;
  /** The "JOOR code" on the customer record; blank when the brand has not linked the customer. */
  joor_customer_code?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  /** The customer's category (JOOR's customer group). */
  category?: string | null;
  salespeople?: AmcCustomerSalespersonSource[] | null;
  people?: AmcCustomerPersonSource[] | null;
  locations?: AmcCustomerLocationSource[] | null;
}

export interface JoorCustomerAddress {
  address_1?: string;
  address_2?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
}

/** A ship-to address: the AMC location's id as its code, and its name. */
export interface JoorCustomerShippingAddress extends JoorCustomerAddress {
  code: string;
  name?: string;
}

/** One customer as JOOR's v2 bulk-connection takes it (plain lists; the client writes the wire's wrapped forms). */
export interface JoorCustomerPayload {
  customer_code: string;
  customer_name: string;
  customer_contact_name?: string;
  customer_contact_email?: string;
  customer_group_name?: string;
  sales_rep_code?: string;
  billing_address?: JoorCustomerAddress;
  /** The customer's locations, the main one first. */
  shipping_addresses?: JoorCustomerShippingAddress[];
}

/**
 * - `send`: the payload, its change-detection hash;
 * - `skip`: not sent, not an error (no JOOR code: the brand has not linked the customer; inactive in AMC);
 * - `refuse`: cannot be sent as AMC has it (no name, a code JOOR cannot take), with a reason a person can act on.
 */
export type MappedCustomer =
  | { kind: 'send'; code: string; name: string; payload: JoorCustomerPayload; hash: string }
  | { kind: 'skip'; code: string | null; name: string | null; reason: string }
  | { kind: 'refuse'; code: string | null; name: string | null; reason: string };
