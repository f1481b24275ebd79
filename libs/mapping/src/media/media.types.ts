/**
 * What the media mapping reads from AMC and what it produces for JOOR, stated here so mapping
 * depends on no client (the AMC and JOOR clients' types fit these shapes structurally).
 */

/** An image of an AMC product or colorway. `kind` ('color' | 'swatch') is not on every account's records. */
export interface MediaImageRef {
  img: string;
  is_catalog_image?: string | null;
  kind?: string | null;
}

export interface MediaColorway {
  /** The color name. */
  attribute_2: string;
  color_code: string;
  joor_sync: string;
  images?: MediaImageRef[] | null;
}

export interface MediaStyle {
  product_id: string;
  style_number: string;
  images?: MediaImageRef[] | null;
  colorways: MediaColorway[];
}

/** A JOOR product catalog sync made of the style (its product link) and the colors JOOR has under it. */
export interface MediaProductOnJoor {
  /** The product link key: AMC product_id, or `<product_id>:<color code>` for a colorway sent as its own product. */
  key: string;
  joorId: string;
  /** The color codes of the product's live SKUs (null: not known, every flagged colorway is taken as there). */
  colorCodes: ReadonlySet<string> | null;
}

export type MediaAssetType = 'image' | 'swatch';

/** One image as it should be on JOOR, before its server was asked about it. */
export interface PlannedImage {
  url: string;
  type: MediaAssetType;
}

/**
 * One set of images JOOR keeps together: a product's product-level images, or the color-level
 * images (and swatches) of one color of a product. Its link key names it.
 */
export interface MediaTarget {
  /** `<product key>` (product level) or `<product key>|color|<color code>` (color level). */
  key: string;
  /** The AMC product_id of the style. */
  styleId: string;
  styleNumber: string;
  productKey: string;
  joorProductId: string;
  /** Null: product level. */
  colorCode: string | null;
  images: PlannedImage[];
}

/** What the image server said of one image, from a HEAD (or a ranged GET of its first bytes). */
export interface ImageProbe {
  /** HTTP status; null when there was no answer. */
  status: number | null;
  /** No answer: why. */
  error?: 'timeout' | 'unreachable';
  contentType: string | null;
  contentLength: number | null;
  etag: string | null;
  lastModified: string | null;
  /** The type the first bytes show, when they were read (null: not read). */
  sniffed?: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'other' | null;
}

export type ImageCheck =
  | { ok: true; hash: string; filename: string }
  /** `transient`: the server may answer next time (timeout, 5xx); the target's set is then left as it is. */
  | { ok: false; problem: string; transient: boolean };

/** An image that passed its check, with what JOOR is sent. */
export interface CheckedImage extends PlannedImage {
  hash: string;
  filename: string;
  externalId: string;
}

export interface JoorAssetPayload {
  type: MediaAssetType;
  filename: string;
  source_url: string;
  external_id: string;
}

export interface JoorProductAssetItem {
  product: { id: string };
  asset: JoorAssetPayload;
  display_order: number;
}

export interface JoorColorAssetItem {
  product: { id: string };
  sku_trait_value: { trait: { name: 'color' }; value: { external_id: string } };
  asset: JoorAssetPayload;
  display_order: number;
}
