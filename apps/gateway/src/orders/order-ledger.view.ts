import type { OrderLedgerEntity, OrderLedgerState } from '@app/persistence';

/** One JOOR order's way into AMC, as the API shows it. */
export interface OrderLedgerView {
  joorOrderId: string;
  state: OrderLedgerState;
  amcOrderId: string | null;
  attempts: number;
  lastError: string | null;
  /** When JOOR's export status last matched the state (Success for created, Failed for failed). */
  exportedAt: string | null;
  joorModifiedAt: string | null;
  firstSeenAt: string;
  updatedAt: string;
}

export function toOrderLedgerView(row: OrderLedgerEntity): OrderLedgerView {
  return {
    joorOrderId: row.joorOrderId,
    state: row.state,
    amcOrderId: row.amcOrderId,
    attempts: row.attempts,
    lastError: row.lastError,
    exportedAt: row.exportedAt?.toISOString() ?? null,
    joorModifiedAt: row.joorModifiedAt?.toISOString() ?? null,
    firstSeenAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
