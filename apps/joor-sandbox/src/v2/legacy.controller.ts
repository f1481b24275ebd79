import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { JoorDialectInterceptor } from '../shared/joor-dialect.interceptor';
import { JoorHttpError } from '../shared/joor-envelope';
import { OrdersService } from '../v4/orders.service';
import { ConnectionsService } from './connections.service';
import { InventoryService } from './inventory.service';
import { parseOrderFeedQuery } from './order-feed';

function zeroOrOne(raw: unknown, name: string, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === '0' || raw === '1') return raw === '1';
  throw new JoorHttpError(400, 'INVALID_REQUEST', `${name} must be 0 or 1`);
}

/** JOOR v2 ("legacy"): inventory, customers (connections) and the order feed. */
@Controller('v2')
@UseInterceptors(JoorDialectInterceptor)
export class LegacyController {
  constructor(
    private readonly inventory: InventoryService,
    private readonly connections: ConnectionsService,
    private readonly orders: OrdersService,
  ) {}

  @Post('bulk-inventory')
  @HttpCode(200)
  postInventory(@Body() body: unknown, @Query() query: Record<string, unknown>) {
    return this.inventory.bulk(body, zeroOrOne(query.overwrite, 'overwrite', false), zeroOrOne(query.dec_pending, 'dec_pending', false));
  }

  @Put('bulk-inventory')
  putInventory(@Body() body: unknown, @Query() query: Record<string, unknown>) {
    return this.postInventory(body, query);
  }

  @Post('bulk-connection')
  @HttpCode(200)
  bulkConnection(@Body() body: unknown) {
    return this.connections.bulk(body);
  }

  @Get('connection/customer_code/:code')
  async connection(@Param('code') code: string) {
    const connection = await this.connections.byCode(code);
    if (!connection) throw new JoorHttpError(404, 'NOT_FOUND', `No connection with customer_code ${code}`);
    return { connection };
  }

  @Get('order')
  orderFeed(@Query() query: Record<string, unknown>) {
    return this.orders.feed(parseOrderFeedQuery(query));
  }
}
