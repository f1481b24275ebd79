import { Inject, Injectable } from '@nestjs/common';
import { JOOR_SANDBOX_CONFIG } from '../joor-sandbox.tokens';
import type { JoorSandboxConfig } from '../joor-sandbox.config';
import { Filters, pageOf } from '../store/bulk-sql';
import { SandboxDb } from '../store/sandbox-db';
import { BulkOutcome, itemError, toId, type JoorEnvelope, type JoorItemError } from '../shared/joor-envelope';

type Row = Record<string, any>;

const ASSET_TYPES = ['image', 'swatch', 'video'] as const;
const IMAGE_EXTENSIONS = /\.(gif|jpe?g|png)$/i;
const MAX_FILENAME = 100;
const MAX_BYTES = 10 * 1024 * 1024;
// How many source_urls are downloaded at once per request.
const FETCH_CONCURRENCY = 4;

export type ImageKind = 'image/png' | 'image/jpeg' | 'image/gif';

/** The image type from the first bytes (JOOR takes gif/jpeg/png only; WebP and the rest are refused). */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38) return 'image/gif';
  return null;
}

/** The asset part of a request item: the problem, or the checked fields. */
export function checkAsset(asset: unknown): string | { type: string; filename: string; source_url: string; external_id: string | null } {
  if (!asset || typeof asset !== 'object') return 'asset is required';
  const a = asset as Row;
  if (!ASSET_TYPES.includes(a.type)) return `asset.type must be one of ${ASSET_TYPES.join(', ')}`;
  if (a.type === 'video') return 'asset.type video is not accepted through this endpoint; send images';
  if (typeof a.filename !== 'string' || a.filename === '') return 'asset.filename is required';
  if (a.filename.length > MAX_FILENAME) return `asset.filename is longer than ${MAX_FILENAME} characters`;
  if (!IMAGE_EXTENSIONS.test(a.filename)) return 'asset.filename must end in .gif, .jpeg, .jpg or .png';
  if (typeof a.source_url !== 'string') return 'asset.source_url is required';
  let url: URL;
  try {
    url = new URL(a.source_url);
  } catch {
    return 'asset.source_url must be a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'asset.source_url must be http or https';
  if (a.external_id !== undefined && a.external_id !== null && (typeof a.external_id !== 'string' || a.external_id.length > 100)) return 'asset.external_id must be a string of at most 100 characters';
  return { type: a.type, filename: a.filename, source_url: a.source_url, external_id: a.external_id ?? null };
}

export function assetRecord(row: Row) {
  return {
    id: Number(row.id),
    external_id: row.external_id,
    product_id: Number(row.product_id),
    level: row.level,
    color_external_id: row.color_external_id,
    type: row.type,
    filename: row.filename,
    source_url: row.source_url,
    content_type: row.content_type,
    display_order: row.display_order,
  };
}

interface Planned {
  index: number;
  productId: number;
  colorExternalId: string | null;
  asset: { type: string; filename: string; source_url: string; external_id: string | null };
  displayOrder: number | null;
  contentType?: string | null;
  bytes?: number | null;
}

@Injectable()
export class AssetsService {
  constructor(
    private readonly db: SandboxDb,
    @Inject(JOOR_SANDBOX_CONFIG) private readonly config: JoorSandboxConfig,
  ) {}

  async list(filters: { productIds: number[] | null; externalIds: string[] | null }, page: { limit: number; offset: number }): Promise<JoorEnvelope<unknown[]>> {
    const f = new Filters().add((p) => `product_id = ANY(${p}::bigint[])`, filters.productIds).add((p) => `external_id = ANY(${p}::text[])`, filters.externalIds);
    const { rows, total } = await pageOf<Row>(this.db, 'joor_sandbox.assets', f.where, f.params, 'product_id, level, display_order NULLS LAST, id', page);
    return { data: rows.map(assetRecord), errors: [], meta: { total, ...page } };
  }

  /** `POST /v4/assets/products` (level "product") and `/v4/assets/sku_trait_values` (level "color"). */
  async create(items: unknown[], level: 'product' | 'color', replaceAll: boolean): Promise<JoorEnvelope<unknown[]>> {
    const outcome = new BulkOutcome<unknown>();
    const planned: Planned[] = [];
    for (const [index, item] of items.entries()) {
      const x = (item ?? {}) as Row;
      const productId = toId(x.product?.id);
      if (!productId) {
        outcome.fail(itemError('INVALID', index, 'product.id is required', { field: 'product' }));
        continue;
      }
      const asset = checkAsset(x.asset);
      if (typeof asset === 'string') {
        outcome.fail(itemError('INVALID', index, asset, { field: 'asset' }));
        continue;
      }
      let colorExternalId: string | null = null;
      if (level === 'color') {
        const traitName = String(x.sku_trait_value?.trait?.name ?? '').toLowerCase();
        colorExternalId = x.sku_trait_value?.value?.external_id ?? null;
        if (traitName !== 'color' || typeof colorExternalId !== 'string' || colorExternalId === '') {
          outcome.fail(itemError('INVALID', index, 'sku_trait_value must be {trait: {name: "color"}, value: {external_id}}', { field: 'sku_trait_value' }));
          continue;
        }
      }
      if (x.display_order !== undefined && x.display_order !== null && !Number.isInteger(x.display_order)) {
        outcome.fail(itemError('INVALID', index, 'display_order must be an integer', { field: 'display_order' }));
        continue;
      }
      planned.push({ index, productId, colorExternalId, asset, displayOrder: x.display_order ?? null });
    }
    const existing = await this.checkReferences(planned, outcome);
    if (this.config.fetchAssets) await this.download(existing, outcome);
    const ready = existing.filter((plan) => !outcome.failed(plan.index));
    return this.db.tx(async (on) => {
      if (replaceAll && ready.length) {
        const products = [...new Set(ready.map((plan) => plan.productId))];
        if (level === 'product') {
          await this.db.query(`DELETE FROM joor_sandbox.assets WHERE level = 'product' AND product_id = ANY($1::bigint[])`, [products], on);
        } else {
          const pairs = [...new Set(ready.map((plan) => `${plan.productId}\u0000${plan.colorExternalId}`))].map((key) => key.split('\u0000'));
          await this.db.query(
            `DELETE FROM joor_sandbox.assets a USING jsonb_to_recordset($1::jsonb) AS x(product_id bigint, color text)
             WHERE a.level = 'color' AND a.product_id = x.product_id AND a.color_external_id = x.color`,
            [JSON.stringify(pairs.map(([product_id, color]) => ({ product_id: Number(product_id), color })))],
            on,
          );
        }
      }
      for (const plan of ready) {
        if (plan.asset.external_id) {
          const clash = await this.db.one<Row>('SELECT id FROM joor_sandbox.assets WHERE external_id = $1', [plan.asset.external_id], on);
          if (clash) {
            outcome.fail(
              itemError('DUPLICATED', plan.index, `An asset with external_id ${plan.asset.external_id} already exists in this account`, { id: Number(clash.id), external_id: plan.asset.external_id }),
            );
            continue;
          }
        }
        const row = await this.db.one<Row>(
          `INSERT INTO joor_sandbox.assets (external_id, product_id, level, color_external_id, type, filename, source_url, content_type, bytes, display_order)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
          [
            plan.asset.external_id,
            plan.productId,
            level,
            plan.colorExternalId,
            plan.asset.type,
            plan.asset.filename,
            plan.asset.source_url,
            plan.contentType ?? null,
            plan.bytes ?? null,
            plan.displayOrder,
          ],
          on,
        );
        outcome.succeed(plan.index, assetRecord(row!));
      }
      return outcome.envelope();
    });
  }

  private async checkReferences(planned: Planned[], outcome: BulkOutcome<unknown>): Promise<Planned[]> {
    if (!planned.length) return [];
    const products = new Set(
      (await this.db.query<Row>('SELECT id FROM joor_sandbox.products WHERE id = ANY($1::bigint[])', [[...new Set(planned.map((p) => p.productId))]])).map((row) => Number(row.id)),
    );
    const colors = new Set(
      (await this.db.query<Row>('SELECT DISTINCT product_id, color_external_id FROM joor_sandbox.skus WHERE product_id = ANY($1::bigint[])', [[...products]])).map(
        (row) => `${row.product_id}:${row.color_external_id}`,
      ),
    );
    return planned.filter((plan) => {
      if (!products.has(plan.productId)) {
        outcome.fail(itemError('NOT_FOUND', plan.index, `Product ${plan.productId} does not exist`, { field: 'product', product_id: plan.productId }));
        return false;
      }
      if (plan.colorExternalId !== null && !colors.has(`${plan.productId}:${plan.colorExternalId}`)) {
        outcome.fail(itemError('NOT_FOUND', plan.index, `Product ${plan.productId} has no color with external_id ${plan.colorExternalId}`, { field: 'sku_trait_value' }));
        return false;
      }
      return true;
    });
  }

  private async download(planned: Planned[], outcome: BulkOutcome<unknown>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < planned.length) {
        const plan = planned[next++];
        const problem = await this.fetchOne(plan);
        if (problem) outcome.fail(problem);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, planned.length) }, worker));
  }

  private async fetchOne(plan: Planned): Promise<JoorItemError | null> {
    const fail = (message: string) => itemError('INVALID', plan.index, message, { field: 'asset.source_url' });
    try {
      const res = await fetch(plan.asset.source_url, { signal: AbortSignal.timeout(this.config.assetFetchTimeoutMs) });
      if (!res.ok) return fail(`source_url answered HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > MAX_BYTES) return fail('the image is larger than 10 MB');
      const kind = sniffImage(bytes);
      if (!kind) return fail('source_url is not a gif, jpeg or png image');
      plan.contentType = kind;
      plan.bytes = bytes.length;
      return null;
    } catch (err) {
      return fail(`source_url could not be fetched (${(err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'})`);
    }
  }
}
