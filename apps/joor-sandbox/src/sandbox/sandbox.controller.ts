import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import type { JoorOrder } from '@app/sandbox-seed';
import { TokenService } from '../auth/token.service';
import { CreditLimiter } from '../limits/credit-limiter';
import { MetaRepository } from '../store/meta.repository';
import { SandboxDb } from '../store/sandbox-db';
import { SandboxStateService } from '../store/sandbox-state.service';
import { assetRecord } from '../v4/assets.service';
import { priceRecord, productRecord, skuRecord } from '../v4/catalog.service';
import { collectionRecord, CollectionsService } from '../v4/collections.service';
import { OrdersService } from '../v4/orders.service';
import { ConnectionsService } from '../v2/connections.service';
import { InventoryService } from '../v2/inventory.service';

type Row = Record<string, any>;

/** Test and demo controls; free of credits and never faulted. */
@Controller('_sandbox')
export class SandboxController {
  constructor(
    private readonly state: SandboxStateService,
    private readonly db: SandboxDb,
    private readonly meta: MetaRepository,
    private readonly tokens: TokenService,
    private readonly limiter: CreditLimiter,
    private readonly connections: ConnectionsService,
    private readonly inventory: InventoryService,
    private readonly orders: OrdersService,
    private readonly collections: CollectionsService,
  ) {}

  @Post('seed')
  @HttpCode(200)
  async seed(@Body() body: Record<string, unknown>) {
    const num = (name: string) => (body?.[name] === undefined ? undefined : Number(body[name]));
    try {
      return await this.state.seed({ styles: num('styles') ?? 40, seed: num('seed') ?? 1, customers: num('customers'), orders: num('orders'), now: body?.now as string | undefined });
    } catch (err) {
      throw new BadRequestException((err as Error).message);
    }
  }

  @Get('state')
  async summary() {
    const account = await this.meta.account();
    return {
      accountId: account,
      seed: await this.meta.get('seed'),
      counts: await this.state.counts(),
      credits: account ? await this.limiter.state(account) : null,
      tokensIssued: await this.tokens.issuedCount(),
    };
  }

  @Get('state/products')
  async products() {
    return (await this.db.query<Row>('SELECT * FROM joor_sandbox.products ORDER BY id')).map(productRecord);
  }

  @Get('state/skus')
  async skus() {
    return (await this.db.query<Row>('SELECT * FROM joor_sandbox.skus ORDER BY id')).map(skuRecord);
  }

  @Get('state/prices')
  async prices() {
    return (await this.db.query<Row>('SELECT p.*, t.currency_code FROM joor_sandbox.prices p LEFT JOIN joor_sandbox.price_types t ON t.id = p.price_type_id ORDER BY p.id')).map(priceRecord);
  }

  @Get('state/collections')
  async collectionState() {
    return (await this.db.query<Row>('SELECT * FROM joor_sandbox.collections ORDER BY id')).map(collectionRecord);
  }

  @Get('state/assets')
  async assets() {
    return (await this.db.query<Row>('SELECT * FROM joor_sandbox.assets ORDER BY product_id, level, display_order NULLS LAST, id')).map(assetRecord);
  }

  @Get('state/inventory')
  inventoryState(@Query('warehouse') warehouse?: string) {
    return this.inventory.state(warehouse || null);
  }

  @Get('state/connections')
  connectionState() {
    return this.connections.state();
  }

  @Get('state/orders')
  orderState() {
    return this.orders.state();
  }

  @Get('state/credits')
  async credits() {
    const account = await this.meta.account();
    return account ? { accountId: account, ...(await this.limiter.state(account)) } : null;
  }

  @Delete('credits')
  async resetCredits() {
    await this.limiter.reset();
    return { reset: true };
  }

  /** JOOR's data team matches pending customers: all of them, or `{customer_codes: [...]}`. */
  @Post('connections/process')
  @HttpCode(200)
  async process(@Body() body: { customer_codes?: string[] }) {
    return { processed: await this.connections.process(Array.isArray(body?.customer_codes) ? body.customer_codes : null) };
  }

  /** A hand-made linesheet, as a brand user would create it in JOOR (created_by_api false). */
  @Post('collections')
  @HttpCode(200)
  handMade(@Body() body: unknown) {
    return this.collections.create([body], false);
  }

  @Post('orders')
  @HttpCode(200)
  async addOrder(@Body() body: JoorOrder) {
    if (!body?.order_id || !body.status || !Array.isArray(body.line_items)) throw new BadRequestException('order_id, status and line_items are required');
    await this.orders.insert([{ ...body, date_modified: body.date_modified ?? new Date().toISOString() }]);
    return { order_id: body.order_id };
  }

  /** Changes an order as a buyer would (lines, status, PO): it then counts as "modified since last export". */
  @Post('orders/:id/modify')
  @HttpCode(200)
  async modify(@Param('id') id: string, @Body() body: Partial<JoorOrder>) {
    const order = await this.orders.modify(id, body ?? {});
    if (!order) throw new NotFoundException(`order ${id} does not exist`);
    return order;
  }

  /** Expires every access token now (tests of re-authentication). */
  @Post('tokens/expire')
  @HttpCode(200)
  async expireTokens() {
    return { expired: await this.tokens.expireAll() };
  }
}
