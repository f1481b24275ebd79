import { Inject, Injectable } from '@nestjs/common';
import { AMC_SANDBOX_CONFIG } from '../amc-sandbox.tokens';
import type { AmcSandboxConfig, PagingStyle } from '../amc-sandbox.config';
import { AmcStoreRepository } from '../store/amc-store.repository';

export interface RuntimeSettings {
  paging: PagingStyle;
  rateLimitPerSecond: number;
  maxClockSkewSeconds: number;
  /** Records per page at most, whatever `pagination[page_size]` asks for (AMC caps pages too). */
  maxPageSize: number;
}

const KEY = 'runtime';

/**
 * The "account" settings a test or the demo may change while the sandbox runs. Start from the
 * environment; once changed through `/_sandbox/settings` they live in PostgreSQL (survive
 * restarts). Only the settings a PUT named are kept, so the others still follow the environment.
 */
@Injectable()
export class SandboxSettingsService {
  private current: RuntimeSettings;
  /** What PUTs changed (as kept in PostgreSQL). */
  private saved: Partial<RuntimeSettings> = {};

  constructor(
    @Inject(AMC_SANDBOX_CONFIG) private readonly config: AmcSandboxConfig,
    private readonly store: AmcStoreRepository,
  ) {
    this.current = this.fromEnvironment();
  }

  get(): RuntimeSettings {
    return this.current;
  }

  async load(): Promise<void> {
    this.saved = (await this.store.getSetting<Partial<RuntimeSettings>>(KEY)) ?? {};
    this.current = { ...this.fromEnvironment(), ...this.saved };
  }

  async update(patch: Partial<RuntimeSettings>): Promise<RuntimeSettings> {
    this.saved = { ...this.saved, ...patch };
    this.current = { ...this.current, ...patch };
    await this.store.putSetting(KEY, this.saved);
    return this.current;
  }

  private fromEnvironment(): RuntimeSettings {
    const { paging, rateLimitPerSecond, maxClockSkewSeconds, maxPageSize } = this.config;
    return { paging, rateLimitPerSecond, maxClockSkewSeconds, maxPageSize };
  }
}
