import { Injectable } from '@nestjs/common';
import { amcStrings } from '../seed/amc-seed.mapper';
import { AMC_RESOURCES, type AmcResource } from '../store/amc-resources';
import { AmcStoreRepository, type AmcRecord } from '../store/amc-store.repository';
import { AmcStockService, QTY_FIELDS, type Quantities } from './amc-stock.service';

export type WriteResult = { record: AmcRecord; errors: [] } | { record?: undefined; errors: string[]; status: number };

const SKU_FIELDS = ['active', 'joor_sync', 'price', 'retail_price', 'upc_display'] as const;
const NEVER_WRITTEN = new Set(['token', 'time', 'last_modified_time']);

const CREATE_DEFAULTS: Partial<Record<AmcResource, AmcRecord>> = {
  products: {
    description: '',
    season: '',
    category: '',
    price: '0.00',
    retail_price: '0.00',
    web_title: '',
    web_description: '',
    origin: '',
    content: '',
    joor_sync: '0',
    images: [],
    price_groups: [],
  },
  customers: { account_number: '', address_1: '', address_2: '', city: '', state: '', postal_code: '', country: '', email: '', phone: '', status: 'active', joor_customer_code: '', locations: [] },
};
const REQUIRED_ON_CREATE: Partial<Record<AmcResource, string>> = { products: 'style_number', customers: 'customer_name' };

/** The writes AMC's API offers: create/update products and customers, update colorways and stock. */
@Injectable()
export class AmcWritesService {
  constructor(
    private readonly store: AmcStoreRepository,
    private readonly stock: AmcStockService,
  ) {}

  static canCreate(resource: AmcResource): boolean {
    return resource in REQUIRED_ON_CREATE;
  }

  static canUpdate(resource: AmcResource): boolean {
    return resource === 'products' || resource === 'customers' || resource === 'product_attributes' || resource === 'inventory';
  }

  async create(resource: AmcResource, body: AmcRecord, now: Date): Promise<WriteResult> {
    const fields = this.fieldsOf(body);
    const required = REQUIRED_ON_CREATE[resource]!;
    if (!fields[required]) return { errors: [`${required} is required`], status: 400 };
    if (resource === 'products') {
      const existing = await this.store.list('products', { filters: [{ field: 'style_number', operator: '=', value: String(fields.style_number), includeType: 'AND' }], pageSize: 1 });
      if (existing.total > 0) return { errors: [`Style number ${String(fields.style_number)} already exists`], status: 400 };
    }
    const idField = AMC_RESOURCES[resource];
    const record = await this.store.transaction(async (tx) => {
      const id = await this.store.nextId(resource, tx);
      return this.store.insert(resource, { ...CREATE_DEFAULTS[resource], ...fields, [idField]: id }, now, tx);
    });
    return { record, errors: [] };
  }

  async update(resource: AmcResource, id: string, body: AmcRecord, now: Date): Promise<WriteResult> {
    if (resource === 'inventory') return this.updateStock(id, body, now);
    const fields = this.fieldsOf(body);
    delete fields[AMC_RESOURCES[resource]];
    const record = await this.store.patch(resource, id, fields, now);
    return record ? { record, errors: [] } : { errors: [`${resource} ${id} does not exist`], status: 404 };
  }

  /**
   * `PUT /inventory/{sku_id}`: quantities are per warehouse (`warehouse_id` in the body, else the
   * brand's main warehouse); the company-wide row is the sum over the SKU's warehouses, as in AMC.
   */
  private async updateStock(skuId: string, body: AmcRecord, now: Date): Promise<WriteResult> {
    const fields = this.fieldsOf(body);
    const quantities: Partial<Quantities> = {};
    for (const field of QTY_FIELDS) {
      if (fields[field] === undefined) continue;
      if (!/^-?\d+$/.test(String(fields[field]))) return { errors: [`${field} must be a whole number`], status: 400 };
      quantities[field] = Number(fields[field]);
    }
    const skuFields: AmcRecord = {};
    for (const field of SKU_FIELDS) if (fields[field] !== undefined) skuFields[field] = fields[field];
    const warehouseId = fields.warehouse_id === undefined ? undefined : String(fields.warehouse_id);
    const result = await this.store.transaction((tx) => this.stock.change(tx, skuId, warehouseId, () => quantities, skuFields, now));
    if ('sku' in result) return { record: result.sku, errors: [] };
    if (result.missing === 'sku') return { errors: [`SKU ${skuId} does not exist`], status: 404 };
    return { errors: [`SKU ${skuId} has no stock row in warehouse ${result.warehouseId}`], status: 400 };
  }

  private fieldsOf(body: AmcRecord): AmcRecord {
    const out: AmcRecord = {};
    for (const [key, value] of Object.entries(body ?? {})) if (!NEVER_WRITTEN.has(key)) out[key] = amcStrings(value);
    return out;
  }
}
