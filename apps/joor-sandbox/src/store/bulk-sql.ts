import { SandboxDb, type Queryable } from './sandbox-db';

/** Reserves `n` ids of a serial column up front, so each inserted row is known by its request index. */
export async function allocateIds(db: SandboxDb, sequence: string, n: number, on?: Queryable): Promise<number[]> {
  if (n === 0) return [];
  const rows = await db.query<{ id: string }>(`SELECT nextval('${sequence}')::text AS id FROM generate_series(1, $1)`, [n], on);
  return rows.map((row) => Number(row.id));
}

/** A page of a list query plus the total, for the `meta` of v4 list answers. */
export async function pageOf<T>(db: SandboxDb, from: string, where: string, params: unknown[], order: string, page: { limit: number; offset: number }): Promise<{ rows: T[]; total: number }> {
  const n = params.length;
  const [rows, count] = await Promise.all([
    db.query<T>(`SELECT * FROM ${from} ${where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, page.limit, page.offset]),
    db.one<{ total: number }>(`SELECT count(*)::int AS total FROM ${from} ${where}`, params),
  ]);
  return { rows, total: count?.total ?? 0 };
}

/** Builds `WHERE a AND b` from optional filters, numbering the parameters. */
export class Filters {
  readonly params: unknown[] = [];
  private readonly clauses: string[] = [];

  add(sqlWithPlaceholder: (param: string) => string, value: unknown): this {
    if (value === null || value === undefined) return this;
    this.params.push(value);
    this.clauses.push(sqlWithPlaceholder(`$${this.params.length}`));
    return this;
  }

  raw(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  get where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** `YYYY-MM-DD`, or null for no date (an order added by hand may have none) or an unreadable one. */
export const isoDate = (value: Date | string | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
};
