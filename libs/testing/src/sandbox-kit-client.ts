import type { CallPage, FaultConfig, FaultRule, FaultSetup } from '@app/sandbox-kit';

/** Drives a sandbox's `/_sandbox/faults` and `/_sandbox/calls` from an e2e test, over real HTTP. */
export class SandboxKitClient {
  constructor(private readonly baseUrl: string) {}

  /** Replaces the fault rules (a bare list or the full set-up with seed and timings). */
  async setFaults(config: FaultConfig | FaultRule[]): Promise<FaultSetup> {
    return this.send<FaultSetup>('POST', '/_sandbox/faults', config);
  }

  async clearFaults(): Promise<FaultSetup> {
    return this.send<FaultSetup>('DELETE', '/_sandbox/faults');
  }

  async faults(): Promise<FaultSetup> {
    return this.send<FaultSetup>('GET', '/_sandbox/faults');
  }

  async calls(query: { since?: number; path?: string; limit?: number } = {}): Promise<CallPage> {
    const params = new URLSearchParams();
    if (query.since !== undefined) params.set('since', String(query.since));
    if (query.path !== undefined) params.set('path', query.path);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const qs = params.toString();
    return this.send<CallPage>('GET', `/_sandbox/calls${qs ? `?${qs}` : ''}`);
  }

  async clearCalls(): Promise<void> {
    await this.send('DELETE', '/_sandbox/calls');
  }

  /** Sum of `credits` over the logged calls after `since` (e.g. JOOR credits a sync spent). */
  async creditsSpent(query: { since?: number; path?: string } = {}): Promise<number> {
    return (await this.calls(query)).calls.reduce((sum, call) => sum + call.credits, 0);
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
