/** What the one-connection-per-JOOR-account rule needs of a connection. */
export interface JoorAccountUser {
  id: string;
  name: string;
  joorV4BaseUrl: string;
  joorAccountId: string;
}

/** One JOOR account: the same account id on the same JOOR host (sandbox and production are two). */
export function sameJoorAccount(a: Omit<JoorAccountUser, 'id' | 'name'>, b: Omit<JoorAccountUser, 'id' | 'name'>): boolean {
  return a.joorAccountId.trim() === b.joorAccountId.trim() && hostOf(a.joorV4BaseUrl) === hostOf(b.joorV4BaseUrl);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

/**
 * Why `candidate` may not have its JOOR account, or null. A JOOR account is kept by one connection:
 * what the integration writes there is keyed by AMC's ids (SKU external ids, season linesheets,
 * customer codes), which are unique only within one AMC account, and every connection on the
 * account would read the same order feed, creating each order once per connection and marking it
 * Failed wherever its styles are unknown. The credits are the account's either way.
 */
export function joorAccountProblem(candidate: JoorAccountUser, existing: JoorAccountUser[]): string | null {
  const holder = existing.find((other) => other.id !== candidate.id && sameJoorAccount(other, candidate));
  if (!holder) return null;
  return (
    `JOOR account ${candidate.joorAccountId} is already kept by connection "${holder.name}" (${holder.id}); a JOOR account can belong to one connection only ` +
    "(two would overwrite each other's SKUs and linesheets and each create every order): delete that connection or change its JOOR account first"
  );
}
