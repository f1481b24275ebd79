import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseInterceptors } from '@nestjs/common';
import { JoorDialectInterceptor } from '../shared/joor-dialect.interceptor';
import { JOOR_SANDBOX_CONFIG } from '../joor-sandbox.tokens';
import type { JoorSandboxConfig } from '../joor-sandbox.config';
import { bulkItems, idList, JoorHttpError, paging, stringList } from '../shared/joor-envelope';
import { AssetsService } from './assets.service';
import { CollectionsService } from './collections.service';
import { OrdersService } from './orders.service';

type Query = Record<string, unknown>;

function flag(raw: unknown, name: string): boolean {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new JoorHttpError(400, 'INVALID_REQUEST', `${name} must be true or false`);
}

/** v4 collections (linesheets), assets (images) and orders. */
@Controller('v4')
@UseInterceptors(JoorDialectInterceptor)
export class CommerceController {
  constructor(
    private readonly collections: CollectionsService,
    private readonly assets: AssetsService,
    private readonly orders: OrdersService,
    @Inject(JOOR_SANDBOX_CONFIG) private readonly config: JoorSandboxConfig,
  ) {}

  @Get('collections')
  listCollections(@Query() query: Query) {
    return this.collections.list({ ids: idList(query.ids, 'ids'), externalIds: stringList(query.external_ids) }, paging(query));
  }

  @Post('collections/bulk_create')
  @HttpCode(200)
  createCollections(@Body() body: unknown) {
    return this.collections.create(bulkItems(body, this.config.bulkMax));
  }

  @Post('collections/bulk_update')
  @HttpCode(200)
  updateCollections(@Body() body: unknown) {
    return this.collections.update(bulkItems(body, this.config.bulkMax));
  }

  @Get('assets')
  listAssets(@Query() query: Query) {
    return this.assets.list({ productIds: idList(query.product_ids, 'product_ids'), externalIds: stringList(query.external_ids) }, paging(query));
  }

  @Post('assets/products')
  @HttpCode(200)
  productAssets(@Body() body: unknown, @Query('replace_all') replaceAll: unknown) {
    return this.assets.create(bulkItems(body, this.config.bulkMax), 'product', flag(replaceAll, 'replace_all'));
  }

  @Post('assets/sku_trait_values')
  @HttpCode(200)
  colorAssets(@Body() body: unknown, @Query('replace_all') replaceAll: unknown) {
    return this.assets.create(bulkItems(body, this.config.bulkMax), 'color', flag(replaceAll, 'replace_all'));
  }

  @Get('orders')
  listOrders(@Query() query: Query) {
    const modifiedSince = typeof query.modified_since === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(query.modified_since) ? query.modified_since : null;
    if (query.modified_since !== undefined && !modifiedSince) throw new JoorHttpError(400, 'INVALID_REQUEST', 'modified_since must be YYYY-MM-DD');
    const exportStatus = typeof query.export_status === 'string' ? query.export_status : null;
    return this.orders.list({ ids: idList(query.ids, 'ids'), exportStatus, modifiedSince }, paging(query));
  }

  @Get('orders/sku_line_items')
  lineItems(@Query('order_ids') orderIds: unknown) {
    const ids = idList(orderIds, 'order_ids', this.config.bulkMax);
    if (!ids) throw new JoorHttpError(400, 'INVALID_REQUEST', 'order_ids is required');
    return this.orders.lineItems(ids);
  }

  @Post('orders/bulk_update')
  @HttpCode(200)
  updateOrders(@Body() body: unknown) {
    return this.orders.bulkUpdate(bulkItems(body, this.config.bulkMax));
  }
}
