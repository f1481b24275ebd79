import { Injectable } from '@nestjs/common';
import { AmcStockService, allocate } from '../api/amc-stock.service';
import { AmcStoreRepository, type AmcRecord } from '../store/amc-store.repository';
import { lineAmount, mdy, validateOrderShape } from './amc-order.validator';

export type OrderResult = { order: AmcRecord; errors: [] } | { order?: undefined; errors: string[] };

const HEADER_FIELDS = [
  'customer_id',
  'customer_po',
  'date',
  'date_start',
  'date_due',
  'season',
  'warehouse_id',
  'division_id',
  'currency_id',
  'credit_status',
  'joor_id',
  'notes',
  'ship_to_id',
  'source',
] as const;

/**
 * `POST /orders`: all-or-nothing. Any unknown reference names itself in the errors and nothing is
 * written. AMC does not enforce a unique joor_id: the integration must look before it creates.
 */
@Injectable()
export class AmcOrdersService {
  constructor(
    private readonly store: AmcStoreRepository,
    private readonly stock: AmcStockService,
  ) {}

  async create(body: unknown, now: Date): Promise<OrderResult> {
    const shape = validateOrderShape(body);
    if (!shape.order) return { errors: shape.errors };
    const { header, items } = shape.order;
    const errors: string[] = [];

    const customer = await this.store.get('customers', header.customer_id);
    if (!customer) errors.push(`Customer ${header.customer_id} does not exist`);
    for (const [field, resource, label] of [
      ['warehouse_id', 'warehouses', 'Warehouse'],
      ['division_id', 'divisions', 'Division'],
      ['currency_id', 'currencies', 'Currency'],
    ] as const) {
      if (header[field] && !(await this.store.get(resource, header[field]))) errors.push(`${label} ${header[field]} does not exist`);
    }
    const skus = await this.store.getMany('inventory', [...new Set(items.map((i) => i.sku_id))]);
    for (const item of items) {
      const sku = skus.get(item.sku_id);
      if (!sku) errors.push(`SKU ${item.sku_id} does not exist`);
      else if (sku.active !== '1') errors.push(`SKU ${item.sku_id} is inactive`);
    }
    if (errors.length > 0) return { errors: [...new Set(errors)] };

    const order = await this.store.transaction(async (tx) => {
      const orderId = await this.store.nextSequence('order_id_seq', tx);
      const lines: AmcRecord[] = [];
      for (const item of items) {
        const sku = skus.get(item.sku_id)!;
        const unitPrice = item.unit_price ?? String(sku.price ?? '0');
        lines.push({
          id: await this.store.nextSequence('order_item_id_seq', tx),
          order_id: orderId,
          sku_id: item.sku_id,
          qty: String(item.qty),
          unit_price: unitPrice,
          amount: item.amount ?? lineAmount(item.qty, unitPrice),
          style_number: sku.style_number,
          attr_2: sku.attr_2,
          size: sku.size,
        });
      }
      const record: AmcRecord = { order_id: orderId };
      for (const field of HEADER_FIELDS) record[field] = header[field] ?? '';
      if (!record.date) record.date = mdy(now);
      record.division_id = record.division_id || String(customer!.division_id ?? '');
      record.currency_id = record.currency_id || String(customer!.currency_id ?? '');
      record.order_items = lines;
      // As in AMC, an order's lines go on open sales in its warehouse: available to sell drops.
      // Locked in SKU order, so two orders sharing SKUs cannot deadlock.
      for (const item of [...items].sort((a, b) => a.sku_id.localeCompare(b.sku_id)))
        await this.stock.change(tx, item.sku_id, header.warehouse_id || undefined, (row) => allocate(row, item.qty), {}, now);
      return this.store.insert('orders', record, now, tx);
    });
    return { order, errors: [] };
  }
}
