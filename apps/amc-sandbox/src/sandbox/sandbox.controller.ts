import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Patch, Post, Put } from '@nestjs/common';
import { MAX_SEED_STYLES, type SeedOptions } from '@app/sandbox-seed';
import { MAX_PAGE_SIZE_LIMIT, PAGING_STYLES, type PagingStyle } from '../amc-sandbox.config';
import { amcStrings } from '../seed/amc-seed.mapper';
import { AmcSeedService } from '../seed/amc-seed.service';
import { isAmcResource } from '../store/amc-resources';
import { AmcStoreRepository, type AmcRecord } from '../store/amc-store.repository';
import { SandboxSettingsService, type RuntimeSettings } from './sandbox-settings.service';

function wholeNumber(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new BadRequestException(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/** Test and demo controls: seed, inspect, play the brand (writes AMC's API lacks), account settings. */
@Controller('_sandbox')
export class SandboxController {
  constructor(
    private readonly seeder: AmcSeedService,
    private readonly store: AmcStoreRepository,
    private readonly settings: SandboxSettingsService,
  ) {}

  @Post('seed')
  @HttpCode(200)
  async seed(@Body() body: Partial<SeedOptions>): Promise<{ counts: Record<string, number> }> {
    const options: SeedOptions = {
      styles: wholeNumber(body?.styles, 'styles', 1, MAX_SEED_STYLES) ?? 50,
      seed: wholeNumber(body?.seed, 'seed', 0, 2 ** 31 - 1) ?? 1,
      customers: wholeNumber(body?.customers, 'customers', 1, 100_000),
      orders: wholeNumber(body?.orders, 'orders', 0, 100_000),
    };
    if (body?.now !== undefined) {
      if (typeof body.now !== 'string' || Number.isNaN(Date.parse(body.now))) throw new BadRequestException('now must be an ISO date-time');
      options.now = body.now;
    }
    return { counts: await this.seeder.seed(options) };
  }

  @Get('state')
  async state(): Promise<Record<string, unknown>> {
    return {
      counts: await this.store.counts(),
      settings: this.settings.get(),
      seed: (await this.store.getSetting('seed')) ?? null,
      brand: (await this.store.getSetting('brand')) ?? null,
    };
  }

  @Get('state/orders')
  async orders(): Promise<AmcRecord[]> {
    const page = await this.store.list('orders', { filters: [], pageSize: 10_000 });
    return page.records;
  }

  @Get('state/:resource/:id')
  async record(@Param('resource') resource: string, @Param('id') id: string): Promise<AmcRecord> {
    if (!isAmcResource(resource)) throw new NotFoundException(`Unknown resource ${resource}`);
    const record = await this.store.get(resource, id);
    if (!record) throw new NotFoundException(`${resource} ${id} does not exist`);
    return record;
  }

  /**
   * Any change AMC's API cannot make (exchange rates, sync flags, price groups, a SKU's active
   * flag...): merges the body into the record and bumps `last_modified_time`.
   */
  @Patch('records/:resource/:id')
  async patch(@Param('resource') resource: string, @Param('id') id: string, @Body() body: AmcRecord): Promise<AmcRecord> {
    if (!isAmcResource(resource)) throw new NotFoundException(`Unknown resource ${resource}`);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('body must be a JSON object of fields');
    const { last_modified_time: _ignored, ...fields } = body;
    const record = await this.store.patch(resource, id, amcStrings(fields) as AmcRecord, new Date());
    if (!record) throw new NotFoundException(`${resource} ${id} does not exist`);
    return record;
  }

  @Get('settings')
  getSettings(): RuntimeSettings {
    return this.settings.get();
  }

  @Put('settings')
  async putSettings(@Body() body: Partial<RuntimeSettings>): Promise<RuntimeSettings> {
    const patch: Partial<RuntimeSettings> = {};
    if (body?.paging !== undefined) {
      if (!PAGING_STYLES.includes(body.paging)) throw new BadRequestException(`paging must be one of ${PAGING_STYLES.join(', ')}`);
      patch.paging = body.paging as PagingStyle;
    }
    const rate = wholeNumber(body?.rateLimitPerSecond, 'rateLimitPerSecond', 0, 10_000);
    if (rate !== undefined) patch.rateLimitPerSecond = rate;
    const skew = wholeNumber(body?.maxClockSkewSeconds, 'maxClockSkewSeconds', 0, 86_400);
    if (skew !== undefined) patch.maxClockSkewSeconds = skew;
    const maxPageSize = wholeNumber(body?.maxPageSize, 'maxPageSize', 1, MAX_PAGE_SIZE_LIMIT);
    if (maxPageSize !== undefined) patch.maxPageSize = maxPageSize;
    return this.settings.update(patch);
  }
}
