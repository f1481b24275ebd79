import { payloadHash } from '../catalog/payload-hash';
import type {
  CheckedImage,
  ImageCheck,
  ImageProbe,
  JoorAssetPayload,
  JoorColorAssetItem,
  JoorProductAssetItem,
  MediaAssetType,
  MediaImageRef,
  MediaProductOnJoor,
  MediaStyle,
  MediaTarget,
  PlannedImage,
} from './media.types';

/** What JOOR takes as an asset (joor-api.md, Images): gif, jpeg or png, at most 10 MB, a filename of at most 100 characters. */
export const JOOR_ASSET_LIMITS = { maxBytes: 10 * 1024 * 1024, filename: 100, externalId: 100 } as const;

const JOOR_IMAGE_TYPES: Record<string, string> = { 'image/gif': 'gif', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/pjpeg': 'jpg', 'image/png': 'png' };
const IMAGE_EXTENSION = /\.(gif|jpe?g|png)$/i;

/** Every asset this integration creates has an external id starting so; assets without it (loaded by hand) are never removed. */
export const MEDIA_EXTERNAL_ID_PREFIX = 'amc-img-';

/**
 * Whether an AMC image is a swatch. AMC's colorway record may say so (`kind: 'swatch'`, or 'color'
 * for a color image); where it does not, an image whose URL path contains "swatch" (any case: a
 * `swatches/` folder, `..._swatch.png`) is one. The AMC sandbox's seed files its swatches under
 * `/images/swatches/`, so both readings agree there. Style-level images are never swatches.
 */
export function isSwatchImage(image: MediaImageRef): boolean {
  const kind = (image.kind ?? '').trim().toLowerCase();
  if (kind === 'swatch') return true;
  if (kind) return false;
  return /swatch/i.test(pathOf(image.img));
}

/** A style's images in display order: the catalog image first, then AMC's order; the same URL once. */
export function orderStyleImages(images: readonly MediaImageRef[]): MediaImageRef[] {
  const catalog = images.filter((i) => i.is_catalog_image === '1').slice(0, 1);
  return [...catalog, ...images.filter((i) => !catalog.includes(i))];
}

/**
 * The image sets a style should have on JOOR (pure). Rules:
 * - the style's images (catalog image first, then AMC's order) are product-level images of each
 *   JOOR product catalog sync made of it (one, or one per colorway with syncColorwaysAsProducts);
 * - each flagged colorway that JOOR has under a product gets its images, in AMC's order, as
 *   color-level assets of that color of that product: a swatch (see isSwatchImage) as a swatch,
 *   the others as images. With syncColorwaysAsProducts that product is the colorway's own;
 * - a target is planned even with no images (what was sent before then goes).
 */
export function planStyleMedia(style: MediaStyle, products: readonly MediaProductOnJoor[], resolveUrl: (img: string) => string): MediaTarget[] {
  const targets: MediaTarget[] = [];
  const toPlanned = (images: readonly MediaImageRef[], swatches: boolean): PlannedImage[] => {
    const seen = new Set<string>();
    const out: PlannedImage[] = [];
    for (const image of images) {
      if (!image.img?.trim()) continue;
      const url = resolveUrl(image.img.trim());
      if (seen.has(url)) continue;
      seen.add(url);
      out.push({ url, type: swatches && isSwatchImage(image) ? 'swatch' : 'image' });
    }
    return out;
  };
  const styleImages = toPlanned(orderStyleImages(style.images ?? []), false);
  const base = { styleId: style.product_id, styleNumber: style.style_number };
  for (const product of products) {
    targets.push({ ...base, key: product.key, productKey: product.key, joorProductId: product.joorId, colorCode: null, images: styleImages });
    const ownColor = product.key.includes(':') ? product.key.slice(product.key.indexOf(':') + 1) : null;
    for (const colorway of style.colorways) {
      const code = (colorway.color_code || colorway.attribute_2 || '').trim();
      if (!code || colorway.joor_sync !== '1') continue;
      if (ownColor !== null && code !== ownColor) continue;
      if (product.colorCodes && !product.colorCodes.has(code)) continue;
      targets.push({ ...base, key: colorTargetKey(product.key, code), productKey: product.key, joorProductId: product.joorId, colorCode: code, images: toPlanned(colorway.images ?? [], true) });
    }
  }
  return targets;
}

export function colorTargetKey(productKey: string, colorCode: string): string {
  return `${productKey}|color|${colorCode}`;
}

/**
 * What an image's server answer means for JOOR (pure): the problem a person can act on, or the
 * image's change-detection hash (over its URL and the server's validators: ETag, Last-Modified,
 * length; a replaced file changes them) and the filename JOOR is sent.
 */
export function checkImage(url: string, probe: ImageProbe): ImageCheck {
  if (probe.status === null) return { ok: false, problem: `the image server ${probe.error === 'timeout' ? 'did not answer in time' : 'could not be reached'}`, transient: true };
  if (probe.status === 404 || probe.status === 410) return { ok: false, problem: `the image server answered HTTP ${probe.status}: there is no file at this URL`, transient: false };
  if (probe.status >= 500 || probe.status === 429 || probe.status === 408) return { ok: false, problem: `the image server answered HTTP ${probe.status}`, transient: true };
  if (probe.status >= 400) return { ok: false, problem: `the image server answered HTTP ${probe.status}`, transient: false };
  const declared = (probe.contentType ?? '').split(';')[0].trim().toLowerCase();
  const type = JOOR_IMAGE_TYPES[declared] ? declared : probe.sniffed && JOOR_IMAGE_TYPES[probe.sniffed] ? probe.sniffed : null;
  if (!type) {
    const what = declared === 'image/webp' || probe.sniffed === 'image/webp' ? 'a WebP image' : declared ? `not a gif, jpeg or png image (${declared})` : 'not a gif, jpeg or png image';
    return { ok: false, problem: `the file is ${what}; JOOR takes gif, jpeg and png only`, transient: false };
  }
  if (probe.contentLength !== null && probe.contentLength > JOOR_ASSET_LIMITS.maxBytes) {
    return { ok: false, problem: `the image is ${(probe.contentLength / (1024 * 1024)).toFixed(1)} MB; JOOR takes at most 10 MB`, transient: false };
  }
  let filename = decodeSafely(pathOf(url).split('/').pop() ?? '') || 'image';
  if (!IMAGE_EXTENSION.test(filename)) filename = `${filename}.${JOOR_IMAGE_TYPES[type]}`;
  if (filename.length > JOOR_ASSET_LIMITS.filename) return { ok: false, problem: `the file name is ${filename.length} characters; JOOR takes at most ${JOOR_ASSET_LIMITS.filename}`, transient: false };
  const hash = payloadHash({ url, etag: probe.etag, lastModified: probe.lastModified, length: probe.contentLength });
  return { ok: true, hash, filename };
}

/** The asset's external id: unique per target and image content, so a replaced file is a new asset and one image on two targets two assets. */
export function assetExternalId(targetKey: string, imageHash: string): string {
  return `${MEDIA_EXTERNAL_ID_PREFIX}${payloadHash({ targetKey, imageHash }).slice(0, 40)}`;
}

/** The images of a target that passed their checks, with their external ids. */
export function checkedImage(target: MediaTarget, image: PlannedImage, check: Extract<ImageCheck, { ok: true }>): CheckedImage {
  return { ...image, hash: check.hash, filename: check.filename, externalId: assetExternalId(target.key, check.hash) };
}

/** The change-detection hash of a target's image set: which assets, of which type, in which order. */
export function mediaSetHash(images: readonly CheckedImage[]): string {
  return payloadHash(images.map((i) => ({ id: i.externalId, type: i.type })));
}

function asset(image: { type: MediaAssetType; filename: string; url: string; externalId: string }): JoorAssetPayload {
  return { type: image.type, filename: image.filename, source_url: image.url, external_id: image.externalId };
}

/** The bulk items of a target's images, numbered in display order from 1. */
export function productAssetItems(target: MediaTarget, images: readonly CheckedImage[]): JoorProductAssetItem[] {
  return images.map((image, i) => ({ product: { id: target.joorProductId }, asset: asset(image), display_order: i + 1 }));
}

export function colorAssetItems(target: MediaTarget, images: readonly CheckedImage[]): JoorColorAssetItem[] {
  return images.map((image, i) => ({
    product: { id: target.joorProductId },
    sku_trait_value: { trait: { name: 'color' }, value: { external_id: target.colorCode! } },
    asset: asset(image),
    display_order: i + 1,
  }));
}

function pathOf(ref: string): string {
  try {
    return new URL(ref, 'http://relative.invalid').pathname;
  } catch {
    return ref.split(/[?#]/)[0];
  }
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** What a set's images and its last send say should happen to it. */
export type MediaSetDecision = {
  /** Images left out, each with why (an event each). */
  refused: Array<{ image: PlannedImage; problem: string; transient: boolean }>;
} & (
  | { action: 'unchanged' }
  /** An image's server did not answer this time: the set stays as JOOR has it (the style is due). */
  | { action: 'hold'; reason: string }
  /** `add`: a first send; `replace`: the set differs from the last one JOOR took. */
  | { action: 'add' | 'replace'; images: CheckedImage[]; hash: string }
);

/**
 * Decides a set (pure): its images checked against their server's answers; a transient problem
 * holds the whole set (never cut short by a passing outage), a permanent one leaves that image out;
 * then the set hash against the last one sent to this JOOR product.
 */
export function decideMediaSet(target: MediaTarget, probes: ReadonlyMap<string, ImageProbe>, last: { payloadHash: string | null; joorId: string | null } | null): MediaSetDecision {
  const refused: MediaSetDecision['refused'] = [];
  const images: CheckedImage[] = [];
  for (const image of target.images) {
    const probe = probes.get(image.url);
    const check: ImageCheck = probe ? checkImage(image.url, probe) : { ok: false, problem: 'the image server was not asked', transient: true };
    if (check.ok) images.push(checkedImage(target, image, check));
    else refused.push({ image, problem: check.problem, transient: check.transient });
  }
  const transient = refused.find((r) => r.transient);
  if (transient) return { refused, action: 'hold', reason: transient.problem };
  const hash = mediaSetHash(images);
  const sameProduct = !!last && last.joorId === target.joorProductId;
  if (sameProduct && last.payloadHash === hash) return { refused, action: 'unchanged' };
  return { refused, action: sameProduct ? 'replace' : 'add', images, hash };
}
