/** AMC's response envelope. A single record still answers as an array. */
export interface AmcEnvelope {
  response: unknown[];
  meta: { pagination?: Record<string, unknown>; errors: string[] };
}

export function envelope(response: unknown[], pagination?: Record<string, unknown>): AmcEnvelope {
  return { response, meta: { ...(pagination ? { pagination } : {}), errors: [] } };
}

export function errorEnvelope(errors: string[]): AmcEnvelope {
  return { response: [], meta: { errors } };
}

/** The pagination block for the account's paging style. Pure. */
export function paginationMeta(style: 'last_id' | 'page_number', page: { pageSize: number; pageNumber: number; returned: number; total: number; lastId: string | null }): Record<string, unknown> {
  if (style === 'page_number') {
    return {
      total_pages: Math.max(1, Math.ceil(page.total / page.pageSize)),
      current_page: page.pageNumber,
      number_records_returned: page.returned,
    };
  }
  return { last_id: page.lastId, total_records: page.total };
}
