import { JoorApiError, JoorMalformedResponseError, type BulkResult, type JoorClient } from '@app/joor-client';
import { colorAssetItems, productAssetItems, type CheckedImage, type JoorAssetPayload, type MediaTarget } from '@app/mapping';
import { LINK_TYPES, type EntityLinkRepository, type RunCounts, type RunEventInput } from '@app/persistence';

/** An asset on JOOR this integration did not create (loaded by hand): re-sent with a replaced set so it stays. */
export interface ForeignAsset {
  type: string;
  filename: string;
  source_url: string;
  external_id: string | null;
}

/** A target whose image set differs from what JOOR was last sent. */
export interface TargetSend {
  target: MediaTarget;
  images: CheckedImage[];
  hash: string;
  /** True: the set replaces JOOR's (`replace_all`), with `foreign` kept; false: the images are added (a first send). */
  replace: boolean;
  foreign: ForeignAsset[];
}

type Lane = 'product-add' | 'product-replace' | 'color-add' | 'color-replace';

/** Bulk asset calls in a row JOOR did not answer (after the client's retries) before the run gives up and the job retries. */
const MAX_UNANSWERED_CALLS = 3;

/**
 * Sends changed image sets to JOOR's bulk asset calls: product-level sets through
 * `/v4/assets/products`, color-level sets (images and swatches) through `/v4/assets/sku_trait_values`,
 * a first send as additions and a changed set as a replacement (`replace_all`, per product or per
 * product color), each call filled up to `perCall` assets with whole sets (a set never spans two
 * replacing calls: the second would drop the first's). A set JOOR took whole gets its hash on its
 * link (entity_link `media`); one it refused in part stays due.
 */
export class JoorAssetWriter {
  private readonly lanes = new Map<Lane, TargetSend[]>();
  private unanswered = 0;
  readonly counts: Required<RunCounts> = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  /** Styles (AMC product ids) with a set JOOR did not take whole: due for the next run. */
  readonly due: Array<{ key: string; reason: string }> = [];

  constructor(
    private readonly connectionId: string,
    private readonly joor: JoorClient,
    private readonly links: EntityLinkRepository,
    private readonly perCall: number,
    private readonly event: (event: RunEventInput) => void,
  ) {}

  async push(send: TargetSend): Promise<void> {
    const lane: Lane = `${send.target.colorCode === null ? 'product' : 'color'}-${send.replace ? 'replace' : 'add'}`;
    const size = sizeOf(send);
    if (size > this.perCall) return this.sendLarge(send);
    const queue = this.lanes.get(lane) ?? [];
    if (queue.reduce((n, s) => n + sizeOf(s), 0) + size > this.perCall) await this.call(lane, queue.splice(0, queue.length));
    queue.push(send);
    this.lanes.set(lane, queue);
  }

  async drain(): Promise<void> {
    for (const [lane, queue] of this.lanes) if (queue.length) await this.call(lane, queue.splice(0, queue.length));
  }

  /** The counts since the last take. */
  take(): Required<RunCounts> {
    const out = { ...this.counts };
    this.counts.created = this.counts.updated = this.counts.unchanged = this.counts.failed = 0;
    return out;
  }

  /** A set larger than one call: the first call replaces (or adds), the next ones add to it. */
  private async sendLarge(send: TargetSend): Promise<void> {
    const items = this.itemsOf(send);
    const level = send.target.colorCode === null ? 'product' : 'color';
    for (let i = 0; i < items.length; i += this.perCall) {
      const lane: Lane = `${level}-${send.replace && i === 0 ? 'replace' : 'add'}`;
      const result = await this.post(lane, items.slice(i, i + this.perCall), [send]);
      if (!result) return;
      if (result.failed.length) {
        this.fail(
          send,
          result.failed.map((f) => ({ position: i + f.index, message: `${f.status}: ${f.message}` })),
        );
        return;
      }
    }
    await this.settle([send]);
  }

  private async call(lane: Lane, sends: TargetSend[]): Promise<void> {
    if (!sends.length) return;
    const items: unknown[] = [];
    const starts: number[] = [];
    for (const send of sends) {
      starts.push(items.length);
      items.push(...this.itemsOf(send));
    }
    const result = await this.post(lane, items, sends);
    if (!result) return;
    const failedBySend = new Map<TargetSend, Array<{ position: number; message: string }>>();
    for (const failed of result.failed) {
      let s = starts.length - 1;
      while (starts[s] > failed.index) s--;
      const list = failedBySend.get(sends[s]) ?? [];
      list.push({ position: failed.index - starts[s], message: `${failed.status}: ${failed.message}` });
      failedBySend.set(sends[s], list);
    }
    for (const [send, failures] of failedBySend) this.fail(send, failures);
    await this.settle(sends.filter((s) => !failedBySend.has(s)));
  }

  /** One bulk call; null when it failed as a whole (its sets are failed and due). */
  private async post(lane: Lane, items: unknown[], sends: TargetSend[]): Promise<BulkResult<unknown, unknown> | null> {
    const replaceAll = lane.endsWith('replace');
    try {
      const result = lane.startsWith('product')
        ? await this.joor.addProductAssets(items as Parameters<JoorClient['addProductAssets']>[0], { replaceAll })
        : await this.joor.addColorAssets(items as Parameters<JoorClient['addColorAssets']>[0], { replaceAll });
      this.unanswered = 0;
      return result;
    } catch (err) {
      const apiError = err instanceof JoorApiError ? err : null;
      if (!apiError && !(err instanceof JoorMalformedResponseError)) throw err;
      const refused = !!apiError && !apiError.transient && apiError.httpStatus !== null && apiError.httpStatus >= 400 && apiError.httpStatus < 500 && ![401, 403, 429].includes(apiError.httpStatus);
      if (apiError && !apiError.transient && !refused) throw err;
      if (!refused && ++this.unanswered >= MAX_UNANSWERED_CALLS) throw err;
      const reason = refused ? `JOOR refused the call (${(err as Error).message})` : `JOOR did not answer the call after retries (${(err as Error).message})`;
      this.event({
        level: 'error',
        entityType: 'images',
        reason: `The images of ${sends.length} set(s) were not sent: ${reason}; they are tried again at the next run`,
        details: { assets: items.length },
      });
      for (const send of sends) this.markFailed(send, reason);
      return null;
    }
  }

  private itemsOf(send: TargetSend): unknown[] {
    const ours = send.target.colorCode === null ? productAssetItems(send.target, send.images) : colorAssetItems(send.target, send.images);
    const foreign = send.foreign.map((asset, i) => {
      const payload = { type: asset.type, filename: asset.filename, source_url: asset.source_url, ...(asset.external_id ? { external_id: asset.external_id } : {}) } as JoorAssetPayload;
      const order = ours.length + i + 1;
      return send.target.colorCode === null
        ? { product: { id: send.target.joorProductId }, asset: payload, display_order: order }
        : { product: { id: send.target.joorProductId }, sku_trait_value: { trait: { name: 'color' }, value: { external_id: send.target.colorCode } }, asset: payload, display_order: order };
    });
    return [...ours, ...foreign];
  }

  private fail(send: TargetSend, failures: Array<{ position: number; message: string }>): void {
    const { target } = send;
    for (const failure of failures) {
      const image = send.images[failure.position];
      const what = image ? `image ${image.url}` : `hand-loaded asset ${send.foreign[failure.position - send.images.length]?.source_url ?? ''}`;
      this.event({
        level: 'error',
        entityType: 'image',
        entityKey: imageEntityKey(target),
        reason: `JOOR refused the ${what} of ${describeTarget(target)}: ${failure.message}`,
        ...(image ? { details: { url: image.url, style: target.styleNumber, color: target.colorCode } } : {}),
      });
    }
    this.markFailed(send, `JOOR refused ${failures.length} image(s) of ${describeTarget(target)}`);
  }

  private markFailed(send: TargetSend, reason: string): void {
    this.counts.failed++;
    this.due.push({ key: send.target.styleId, reason });
  }

  private async settle(sends: TargetSend[]): Promise<void> {
    await this.links.upsert(
      this.connectionId,
      LINK_TYPES.media,
      sends.map((s) => ({ amcId: s.target.key, joorId: s.target.joorProductId, payloadHash: s.hash, parentKey: s.target.styleId, meta: { externalIds: s.images.map((i) => i.externalId) } })),
    );
    for (const send of sends) {
      if (send.replace) this.counts.updated++;
      else this.counts.created++;
    }
  }
}

function sizeOf(send: TargetSend): number {
  return send.images.length + send.foreign.length;
}

/** How events name a set: the style number, and its color for a color-level set. */
export function imageEntityKey(target: MediaTarget): string {
  return target.colorCode === null ? target.styleNumber : `${target.styleNumber}/${target.colorCode}`;
}

export function describeTarget(target: MediaTarget): string {
  return target.colorCode === null ? `style ${target.styleNumber}` : `style ${target.styleNumber}, color ${target.colorCode}`;
}
