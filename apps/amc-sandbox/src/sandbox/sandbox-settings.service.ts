import { Inject, Injectable } from '@nestjs/common';
import { AMC_SANDBOX_CONFIG } from '../amc-sandbox.tokens';
import type { AmcSandboxConfig, PagingStyle } from '../amc-sandbox.config';
import { AmcStoreRepository } from '../store/amc-store.repository';

export interface RuntimeSettings {
  paging: PagingStyle;
  rateLimitPerSecond: number;
  maxClockSkewSeconds: number;
}

const KEY = 'runtime';

/**
 * The "account" settings a test or the demo may change while the sandbox runs. Start from the
 * environment; once changed through `/_sandbox/settings` they live in PostgreSQL (survive restarts).
 */
@Injectable()
export class SandboxSettingsService {
  private current: RuntimeSettings;

  constructor(
    @Inject(AMC_SANDBOX_CONFIG) private readonly config: AmcSandboxConfig,
    private readonly store: AmcStoreRepository,
  ) {
    this.current = { paging: config.paging, rateLimitPerSecond: config.rateLimitPerSecond, maxClockSkewSeconds: config.maxClockSkewSeconds };
  }

  get(): RuntimeSettings {
    return this.current;
  }

  async load(): Promise<void> {
    const saved = await this.store.getSetting<Partial<RuntimeSettings>>(KEY);
    if (saved) this.current = { ...this.current, ...saved };
  }

  async update(patch: Partial<RuntimeSettings>): Promise<RuntimeSettings> {
    this.current = { ...this.current, ...patch };
    await this.store.putSetting(KEY, this.current);
    return this.current;
  }

}
