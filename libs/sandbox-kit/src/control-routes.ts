/**
 * Whether a sandbox mounts its control routes (`/_sandbox/*`: seeding, state, records, faults, the
 * call log). `SANDBOX_CONTROL=true|false`; when unset, on except under NODE_ENV=production, so an
 * image started as production never answers them unless told to (compose and the k8s demo do).
 */
export function sandboxControlRoutes(env: Record<string, string | undefined>): boolean {
  const raw = env.SANDBOX_CONTROL?.trim();
  if (raw === undefined || raw === '') return env.NODE_ENV !== 'production';
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new Error(`SANDBOX_CONTROL must be true or false (got "${raw}")`);
}
