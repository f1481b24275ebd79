import type { Brand } from '@app/sandbox-seed';
import { expectedCatalog } from './catalog-oracle';
import type { JoorSandboxHarness } from './joor-sandbox-harness';

/**
 * The images JOOR should show after an images sync of a seeded brand, from the written rules (shares
 * nothing with libs/mapping or apps/media-sync). Keys: `<product external id>` for a product's own
 * images, `<product external id>|<color code>` for a color's; values: `<type>:<image path>` in display
 * order. Rules:
 *
 * M1 Only products on JOOR (catalog-oracle R1/R2) have images; each gets its style's images, the
 *    catalog image first, then AMC's order.
 * M2 Each color JOOR has ACTIVE SKUs of under a product (catalog-oracle R3) gets its colorway's images
 *    in AMC's order, as color-level assets: a swatch (the seed says which) as a swatch, the rest as
 *    images. With colorways as products, a colorway's product carries the style's images and its own
 *    color's.
 * M3 An image JOOR cannot take (`refused`: WebP, missing, over 10 MB) is left out; the rest go.
 * M4 Empty sets are not listed.
 */
export function expectedAssets(brand: Brand, options: { colorwaysAsProducts?: boolean; refused?: ReadonlySet<string> } = {}): Map<string, string[]> {
  const catalog = expectedCatalog(brand, { colorwaysAsProducts: options.colorwaysAsProducts });
  const refused = options.refused ?? new Set<string>();
  const out = new Map<string, string[]>();
  const put = (key: string, images: Array<{ img: string; type: string }>) => {
    const kept = images.filter((i) => !refused.has(i.img)).map((i) => `${i.type}:${i.img}`);
    if (kept.length) out.set(key, kept);
  };
  const colorsOf = new Map<string, Set<string>>();
  for (const key of catalog.skus.keys()) {
    const [productExternalId, colorName] = key.split('|');
    const set = colorsOf.get(productExternalId) ?? new Set<string>();
    set.add(colorName);
    colorsOf.set(productExternalId, set);
  }
  for (const product of brand.amc.products) {
    const catalogFirst = [...product.images.filter((i) => i.is_catalog_image === '1'), ...product.images.filter((i) => i.is_catalog_image !== '1')];
    const styleImages = catalogFirst.map((i) => ({ img: i.img, type: 'image' }));
    const colorways = brand.amc.attributes.filter((a) => a.product_id === product.product_id);
    const productIds = options.colorwaysAsProducts ? colorways.map((c) => `${product.style_number}-${c.color_code}`) : [product.style_number];
    for (const productExternalId of productIds) {
      if (!catalog.products.has(productExternalId)) continue;
      put(productExternalId, styleImages);
      for (const colorway of colorways) {
        if (!colorsOf.get(productExternalId)?.has(colorway.attribute_2)) continue;
        put(
          `${productExternalId}|${colorway.color_code}`,
          colorway.images.map((i) => ({ img: i.img, type: i.kind === 'swatch' ? 'swatch' : 'image' })),
        );
      }
    }
  }
  return out;
}

interface AssetRow {
  id: number;
  external_id: string | null;
  product_id: number;
  level: string;
  color_external_id: string | null;
  type: string;
  filename: string;
  source_url: string;
  display_order: number | null;
}

/** What the JOOR sandbox holds, keyed like `expectedAssets` (image paths from the source URLs). */
export async function actualAssets(joor: JoorSandboxHarness, options: { onlyOurs?: boolean } = {}): Promise<Map<string, string[]>> {
  const products: Array<{ id: number; external_id: string }> = await joor.control('GET', 'state/products');
  const externalIdOf = new Map(products.map((p) => [p.id, p.external_id]));
  const rows: AssetRow[] = await joor.control('GET', 'state/assets');
  const grouped = new Map<string, AssetRow[]>();
  for (const row of rows) {
    if (options.onlyOurs && !(row.external_id ?? '').startsWith('amc-img-')) continue;
    const product = externalIdOf.get(row.product_id) ?? `#${row.product_id}`;
    const key = row.level === 'color' ? `${product}|${row.color_external_id}` : product;
    grouped.set(key, [...(grouped.get(key) ?? []), row]);
  }
  const out = new Map<string, string[]>();
  for (const [key, list] of grouped) {
    list.sort((a, b) => (a.display_order ?? 1e9) - (b.display_order ?? 1e9) || a.id - b.id);
    out.set(
      key,
      list.map((r) => `${r.type}:${new URL(r.source_url).pathname}`),
    );
  }
  return out;
}

/** Every asset row of the JOOR sandbox, as it stores them. */
export async function assetRows(joor: JoorSandboxHarness): Promise<AssetRow[]> {
  return joor.control('GET', 'state/assets');
}
