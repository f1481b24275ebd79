import { Injectable } from '@nestjs/common';
import { AmcApiError } from '@app/amc-client';
import { JoorApiError } from '@app/joor-client';
import { ConnectionClients } from '@app/sync-core';

export interface PartCheck {
  ok: boolean;
  /** What was checked, or why it failed, in words a person can act on. */
  detail: string;
  ms: number;
}

export interface ConnectionTestReport {
  ok: boolean;
  amc: PartCheck;
  joorAuth: PartCheck;
  joorV4: PartCheck;
  joorV2: PartCheck;
  /** JOOR credits this check spent (GET 1 each). */
  joorCredits: number;
}

function reason(err: unknown): string {
  if (err instanceof AmcApiError) return `${err.status ? `HTTP ${err.status}: ` : ''}${err.amcErrors.length ? err.amcErrors.join('; ') : err.message}`;
  if (err instanceof JoorApiError) return `${err.httpStatus ? `HTTP ${err.httpStatus}: ` : ''}${err.message}`;
  return (err as Error).message;
}

async function timed(check: () => Promise<string>): Promise<PartCheck> {
  const started = Date.now();
  try {
    return { ok: true, detail: await check(), ms: Date.now() - started };
  } catch (err) {
    return { ok: false, detail: reason(err), ms: Date.now() - started };
  }
}

/**
 * Checks a connection's credentials and URLs with the fewest JOOR credits: the v4 sign-in (free),
 * one v4 GET and one v2 GET (1 credit each), and one AMC read of a single record.
 */
@Injectable()
export class ConnectionTestService {
  constructor(private readonly clients: ConnectionClients) {}

  async test(connectionId: string): Promise<ConnectionTestReport> {
    const { amc, joor } = await this.clients.forConnection(connectionId, 'orders', { quick: true });
    const [amcCheck, joorAuth] = await Promise.all([
      timed(async () => {
        const page = await amc.page('currencies', { pageSize: 1 });
        return `read currencies (${page.records.length ? page.records[0].name : 'none'})`;
      }),
      timed(async () => {
        await joor.tokens.verifyCredentials();
        return 'v4 sign-in accepted';
      }),
    ]);
    let joorCredits = 0;
    const skipped = { ok: false, detail: 'skipped: the v4 sign-in failed', ms: 0 };
    const joorV4 = joorAuth.ok
      ? await timed(async () => {
          joorCredits += 1;
          const types = await joor.priceTypes();
          return `read ${types.items.length} price type(s)`;
        })
      : skipped;
    const joorV2 = await timed(async () => {
      joorCredits += 1;
      await joor.connectionByCode('connection-test-probe');
      return 'v2 token accepted';
    });
    return { ok: amcCheck.ok && joorAuth.ok && joorV4.ok && joorV2.ok, amc: amcCheck, joorAuth, joorV4, joorV2, joorCredits };
  }
}
