import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseInterceptors } from '@nestjs/common';
import { JoorDialectInterceptor } from '../shared/joor-dialect.interceptor';
import { JOOR_SANDBOX_CONFIG } from '../joor-sandbox.tokens';
import type { JoorSandboxConfig } from '../joor-sandbox.config';
import { bulkItems, idList, paging, stringList } from '../shared/joor-envelope';
import { CatalogService, traitsFor } from './catalog.service';

type Query = Record<string, unknown>;

@Controller('v4')
@UseInterceptors(JoorDialectInterceptor)
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    @Inject(JOOR_SANDBOX_CONFIG) private readonly config: JoorSandboxConfig,
  ) {}

  @Get('products')
  products(@Query() query: Query) {
    return this.catalog.listProducts({ ids: idList(query.ids, 'ids'), externalIds: stringList(query.external_ids) }, paging(query));
  }

  @Post('products/bulk_create')
  @HttpCode(200)
  createProducts(@Body() body: unknown) {
    return this.catalog.createProducts(bulkItems(body, this.config.bulkMax));
  }

  @Post('products/bulk_update')
  @HttpCode(200)
  updateProducts(@Body() body: unknown) {
    return this.catalog.updateProducts(bulkItems(body, this.config.bulkMax));
  }

  @Get('skus')
  skus(@Query() query: Query) {
    return this.catalog.listSkus({ ids: idList(query.ids, 'ids'), productIds: idList(query.product_ids, 'product_ids'), externalIds: stringList(query.external_ids) }, paging(query));
  }

  @Post('skus/bulk_create')
  @HttpCode(200)
  createSkus(@Body() body: unknown) {
    return this.catalog.createSkus(bulkItems(body, this.config.bulkMax));
  }

  @Post('skus/bulk_update')
  @HttpCode(200)
  updateSkus(@Body() body: unknown) {
    return this.catalog.updateSkus(bulkItems(body, this.config.bulkMax));
  }

  @Get('prices')
  prices(@Query() query: Query) {
    const priceTypeId = typeof query.price_type_id === 'string' ? query.price_type_id : null;
    return this.catalog.listPrices({ ids: idList(query.ids, 'ids'), skuIds: idList(query.sku_ids, 'sku_ids'), priceTypeId }, paging(query));
  }

  @Post('prices/bulk_create')
  @HttpCode(200)
  createPrices(@Body() body: unknown) {
    return this.catalog.createPrices(bulkItems(body, this.config.bulkMax));
  }

  @Post('prices/bulk_update')
  @HttpCode(200)
  updatePrices(@Body() body: unknown) {
    return this.catalog.updatePrices(bulkItems(body, this.config.bulkMax));
  }

  @Get('price_types')
  priceTypes() {
    return this.catalog.priceTypes();
  }

  @Get('seasons')
  seasons() {
    return this.catalog.seasons();
  }

  @Get('traits')
  traits() {
    return { data: traitsFor(this.config.idStyle), errors: [] };
  }

  @Get('categories')
  categories() {
    return { data: [], errors: [] };
  }
}
