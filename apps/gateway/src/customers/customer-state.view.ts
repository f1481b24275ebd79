import type { CustomerState, CustomerStateEntity } from '@app/persistence';

/** Where one AMC customer stands with JOOR, as the API shows it. */
export interface CustomerStateView {
  joorCode: string | null;
  amcCustomerId: string;
  name: string | null;
  /** `pending` (sent, JOOR's data team has not matched it yet), `active` (JOOR knows it), `failed`, `skipped` (not sent). */
  state: CustomerState;
  /** Why it is failed, skipped or pending; null when active. */
  reason: string | null;
  /** When it was last sent to JOOR. */
  sentAt: string | null;
  /** When JOOR first showed it as known under this code. */
  activatedAt: string | null;
  /** When a pending check last looked it up. */
  checkedAt: string | null;
  updatedAt: string;
}

export function toCustomerStateView(row: CustomerStateEntity): CustomerStateView {
  return {
    joorCode: row.joorCode,
    amcCustomerId: row.amcCustomerId,
    name: row.name,
    state: row.state,
    reason: row.reason,
    sentAt: row.sentAt?.toISOString() ?? null,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    checkedAt: row.checkedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
