import type { CustomerStateRow } from '@app/persistence';

/**
 * How a customer's row changes with what happened to it (pure). Every change starts from the row it
 * had (or none) and keeps what the change does not say: a skip or a refusal keeps the hash JOOR last
 * took, so a customer that goes back to what JOOR holds is not sent again.
 */

export const PENDING_REASON = "JOOR's data team has not matched this new customer yet (it takes 2-3 business days); it is looked up now and then until JOOR shows it";

function base(amcId: string, prev: CustomerStateRow | undefined): CustomerStateRow {
  return (
    prev ?? {
      amcCustomerId: amcId,
      joorCode: null,
      name: null,
      state: 'skipped',
      reason: null,
      payloadHash: null,
      sentCode: null,
      sentAt: null,
      activatedAt: null,
      checkedAt: null,
    }
  );
}

/** Not sent (no JOOR code, inactive in AMC). */
export function skipped(amcId: string, prev: CustomerStateRow | undefined, code: string | null, name: string | null, reason: string): CustomerStateRow {
  return { ...base(amcId, prev), joorCode: code, name, state: 'skipped', reason };
}

/** Refused: by our checks (`sent` false) or by JOOR. */
export function failed(amcId: string, prev: CustomerStateRow | undefined, code: string | null, name: string | null, reason: string, sentAt: Date | null): CustomerStateRow {
  const row = base(amcId, prev);
  return { ...row, joorCode: code, name, state: 'failed', reason, sentAt: sentAt ?? row.sentAt };
}

/**
 * JOOR took the payload: `active` (JOOR knows the code: it updated that customer) or `pending` (a new
 * customer, waiting for JOOR's data team). A customer JOOR knew under the same code keeps its match time.
 */
export function taken(amcId: string, prev: CustomerStateRow | undefined, code: string, name: string, hash: string, outcome: 'active' | 'pending', at: Date, reason?: string): CustomerStateRow {
  const row = base(amcId, prev);
  const knownBefore = row.sentCode === code ? row.activatedAt : null;
  return {
    ...row,
    joorCode: code,
    name,
    state: outcome,
    reason: outcome === 'pending' ? (reason ?? PENDING_REASON) : null,
    payloadHash: hash,
    sentCode: code,
    sentAt: at,
    activatedAt: outcome === 'active' ? (knownBefore ?? at) : null,
  };
}

/** JOOR holds this payload already (same hash): the state it had with JOOR, whatever a skip or refusal said since. */
export function unchanged(prev: CustomerStateRow, code: string, name: string): CustomerStateRow {
  const active = prev.activatedAt !== null;
  const keep = prev.state === 'active' || prev.state === 'pending';
  return { ...prev, joorCode: code, name, state: active ? 'active' : 'pending', reason: active ? null : keep && prev.reason ? prev.reason : PENDING_REASON };
}

/** JOOR now shows the pending customer (a pending check found it). */
export function matched(prev: CustomerStateRow, at: Date): CustomerStateRow {
  return { ...prev, state: 'active', reason: null, activatedAt: at, checkedAt: at };
}
