import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { generateBrand, type SeedOptions } from '@app/sandbox-seed';
import { AMC_SANDBOX_CONFIG } from '../amc-sandbox.tokens';
import type { AmcSandboxConfig } from '../amc-sandbox.config';
import { SandboxSettingsService } from '../sandbox/sandbox-settings.service';
import { AmcStoreRepository } from '../store/amc-store.repository';
import { brandToRecords } from './amc-seed.mapper';

/** Creates the schema at boot, seeds an empty one, and replaces the data on `/_sandbox/seed`. */
@Injectable()
export class AmcSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AmcSeed');

  constructor(
    @Inject(AMC_SANDBOX_CONFIG) private readonly config: AmcSandboxConfig,
    private readonly store: AmcStoreRepository,
    private readonly settings: SandboxSettingsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.ensureSchema();
    await this.settings.load();
    if (this.config.seedStylesOnBoot > 0 && (await this.store.isEmpty())) {
      const counts = await this.seed({ styles: this.config.seedStylesOnBoot, seed: this.config.seed });
      this.logger.log({ msg: 'seeded an empty sandbox', counts });
    }
  }

  async seed(options: SeedOptions): Promise<Record<string, number>> {
    const brand = generateBrand(options);
    await this.store.replaceAll(brandToRecords(brand.amc, brand.options.now));
    await this.store.putSetting('brand', brand.amc.settings);
    await this.store.putSetting('seed', brand.options);
    return this.store.counts();
  }
}
