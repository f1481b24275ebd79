import type { AmcClient, AmcCustomer, AmcFilter } from '@app/amc-client';

export interface CustomerPage {
  customers: AmcCustomer[];
  /** Records AMC sent that cannot be read (a customer without an id, say), with why. */
  invalid: Array<{ id: string | null; problems: string[] }>;
}

// Values per OR-joined AMC read: keeps the query string a few kB.
const VALUES_PER_QUERY = 50;
const PAGE_SIZE = 1_000;

/** Reads customers from AMC (free of JOOR credits), a page at a time. */
export class AmcCustomerReader {
  constructor(private readonly amc: AmcClient) {}

  all(): AsyncGenerator<CustomerPage> {
    return this.pages([]);
  }

  /** Changed at or after `since` (AMC's `last_modified_time >=`). */
  changedSince(since: string): AsyncGenerator<CustomerPage> {
    return this.pages([{ field: 'last_modified_time', operator: '>=', value: since }]);
  }

  /** These customers (by AMC id); one AMC no longer has is not among them. */
  byIds(ids: string[]): AsyncGenerator<CustomerPage> {
    return this.anyOf('customer_id', ids);
  }

  /** The customers carrying any of these JOOR codes. */
  byCodes(codes: string[]): AsyncGenerator<CustomerPage> {
    return this.anyOf('joor_customer_code', codes);
  }

  private async *anyOf(field: string, values: string[]): AsyncGenerator<CustomerPage> {
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += VALUES_PER_QUERY) {
      const filters: AmcFilter[] = unique.slice(i, i + VALUES_PER_QUERY).map((value, n) => ({ field, operator: '=', value, ...(n > 0 ? { includeType: 'OR' as const } : {}) }));
      yield* this.pages(filters);
    }
  }

  private async *pages(filters: AmcFilter[]): AsyncGenerator<CustomerPage> {
    for await (const page of this.amc.pages('customers', { filters, pageSize: PAGE_SIZE })) {
      yield { customers: page.records, invalid: page.invalid.map((i) => ({ id: i.id, problems: i.problems })) };
    }
  }
}
