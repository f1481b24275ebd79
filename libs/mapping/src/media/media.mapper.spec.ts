import {
  assetExternalId,
  checkImage,
  checkedImage,
  colorAssetItems,
  decideMediaSet,
  isSwatchImage,
  mediaSetHash,
  MEDIA_EXTERNAL_ID_PREFIX,
  orderStyleImages,
  planStyleMedia,
  productAssetItems,
} from './media.mapper';
import type { ImageProbe, MediaStyle } from './media.types';

const resolve = (img: string) => new URL(img, 'https://brand.example/').toString();
const png: ImageProbe = { status: 200, contentType: 'image/png', contentLength: 2048, etag: 'W/"abc"', lastModified: 'Sun, 06 Dec 2026 00:00:00 GMT' };

const style: MediaStyle = {
  product_id: '7',
  style_number: 'ST-7',
  images: [
    { img: '/images/styles/7-2.png', is_catalog_image: '0' },
    { img: '/images/styles/7.png', is_catalog_image: '1' },
    { img: '/images/styles/7-3.png', is_catalog_image: '0' },
  ],
  colorways: [
    {
      attribute_2: 'Navy',
      color_code: 'NVY',
      joor_sync: '1',
      images: [
        { img: '/images/colors/7-NVY.png', kind: 'color' },
        { img: '/images/swatches/7-NVY.png', kind: 'swatch' },
      ],
    },
    { attribute_2: 'Red', color_code: 'RED', joor_sync: '1', images: [{ img: '/img/7-RED-front.jpg' }, { img: '/img/7-RED_Swatch.jpg' }] },
    { attribute_2: 'Green', color_code: 'GRN', joor_sync: '0', images: [{ img: '/images/colors/7-GRN.png', kind: 'color' }] },
  ],
};

describe('media mapper', () => {
  it('reads a swatch from AMC when it says so, else from "swatch" in the path', () => {
    expect(isSwatchImage({ img: '/a/b.png', kind: 'swatch' })).toBe(true);
    expect(isSwatchImage({ img: '/swatches/b.png', kind: 'color' })).toBe(false);
    expect(isSwatchImage({ img: 'https://x.example/swatches/b.png' })).toBe(true);
    expect(isSwatchImage({ img: '/img/7-RED_SWATCH.jpg' })).toBe(true);
    expect(isSwatchImage({ img: '/img/7-RED.jpg?v=swatch' })).toBe(false);
  });

  it('puts the catalog image first, then AMC order', () => {
    expect(orderStyleImages(style.images!).map((i) => i.img)).toEqual(['/images/styles/7.png', '/images/styles/7-2.png', '/images/styles/7-3.png']);
    expect(orderStyleImages([{ img: 'a' }, { img: 'b' }]).map((i) => i.img)).toEqual(['a', 'b']);
  });

  it('plans style images on the product and each flagged colorway JOOR has as color-level assets', () => {
    const targets = planStyleMedia(style, [{ key: '7', joorId: 'P1', colorCodes: new Set(['NVY', 'RED', 'GRN']) }], resolve);
    expect(targets.map((t) => [t.key, t.colorCode, t.images.map((i) => `${i.type}:${new URL(i.url).pathname}`)])).toEqual([
      ['7', null, ['image:/images/styles/7.png', 'image:/images/styles/7-2.png', 'image:/images/styles/7-3.png']],
      ['7|color|NVY', 'NVY', ['image:/images/colors/7-NVY.png', 'swatch:/images/swatches/7-NVY.png']],
      ['7|color|RED', 'RED', ['image:/img/7-RED-front.jpg', 'swatch:/img/7-RED_Swatch.jpg']],
    ]);
    expect(targets.every((t) => t.joorProductId === 'P1' && t.styleNumber === 'ST-7')).toBe(true);
  });

  it('leaves out colors JOOR does not have under the product', () => {
    const targets = planStyleMedia(style, [{ key: '7', joorId: 'P1', colorCodes: new Set(['NVY']) }], resolve);
    expect(targets.map((t) => t.key)).toEqual(['7', '7|color|NVY']);
  });

  it('with colorways as products, gives each colorway product the style images and its own colorway images', () => {
    const targets = planStyleMedia(
      style,
      [
        { key: '7:NVY', joorId: 'P2', colorCodes: null },
        { key: '7:RED', joorId: 'P3', colorCodes: null },
      ],
      resolve,
    );
    expect(targets.map((t) => [t.key, t.joorProductId, t.images.length])).toEqual([
      ['7:NVY', 'P2', 3],
      ['7:NVY|color|NVY', 'P2', 2],
      ['7:RED', 'P3', 3],
      ['7:RED|color|RED', 'P3', 2],
    ]);
  });

  it('checks what JOOR takes before JOOR sees it', () => {
    const url = 'https://brand.example/images/styles/7.png';
    expect(checkImage(url, png)).toMatchObject({ ok: true, filename: '7.png' });
    expect(checkImage(url, { ...png, status: 404 })).toMatchObject({ ok: false, transient: false, problem: expect.stringMatching(/HTTP 404/) });
    expect(checkImage(url, { ...png, status: null, error: 'timeout' })).toMatchObject({ ok: false, transient: true, problem: expect.stringMatching(/in time/) });
    expect(checkImage(url, { ...png, status: 503 })).toMatchObject({ ok: false, transient: true });
    expect(checkImage(url, { ...png, contentType: 'image/webp' })).toMatchObject({ ok: false, transient: false, problem: expect.stringMatching(/WebP.*gif, jpeg and png only/) });
    expect(checkImage(url, { ...png, contentType: 'application/octet-stream', sniffed: 'image/webp' })).toMatchObject({ ok: false, problem: expect.stringMatching(/WebP/) });
    expect(checkImage(url, { ...png, contentType: 'application/octet-stream', sniffed: 'image/png' })).toMatchObject({ ok: true });
    expect(checkImage(url, { ...png, contentType: 'text/html' })).toMatchObject({ ok: false, problem: expect.stringMatching(/not a gif, jpeg or png image \(text\/html\)/) });
    expect(checkImage(url, { ...png, contentLength: 10 * 1024 * 1024 + 1 })).toMatchObject({ ok: false, problem: expect.stringMatching(/10\.0 MB; JOOR takes at most 10 MB/) });
    expect(checkImage(url, { ...png, contentLength: 10 * 1024 * 1024 })).toMatchObject({ ok: true });
    expect(checkImage(`https://brand.example/${'a'.repeat(97)}.png`, png)).toMatchObject({ ok: false, problem: expect.stringMatching(/101 characters/) });
    expect(checkImage('https://brand.example/img/12345', { ...png, contentType: 'image/jpeg' })).toMatchObject({ ok: true, filename: '12345.jpg' });
  });

  it('hashes an image over its URL and the server validators: a replaced file (new ETag, length) is another asset', () => {
    const url = 'https://brand.example/images/styles/7.png';
    const a = checkImage(url, png);
    const same = checkImage(url, { ...png });
    const replaced = checkImage(url, { ...png, etag: 'W/"def"' });
    const longer = checkImage(url, { ...png, contentLength: 4096 });
    const moved = checkImage('https://brand.example/images/styles/7b.png', png);
    if (!a.ok || !same.ok || !replaced.ok || !longer.ok || !moved.ok) throw new Error('expected ok');
    expect(same.hash).toBe(a.hash);
    expect(new Set([a.hash, replaced.hash, longer.hash, moved.hash]).size).toBe(4);
    expect(assetExternalId('7', a.hash)).toMatch(new RegExp(`^${MEDIA_EXTERNAL_ID_PREFIX}[0-9a-f]{40}$`));
    expect(assetExternalId('7', a.hash)).not.toBe(assetExternalId('7|color|NVY', a.hash));
  });

  it('builds bulk items in display order, and a set hash that follows membership, type and order', () => {
    const [product, navy] = planStyleMedia(style, [{ key: '7', joorId: 'P1', colorCodes: null }], resolve);
    const check = (url: string) => {
      const c = checkImage(url, png);
      if (!c.ok) throw new Error(c.problem);
      return c;
    };
    const images = product.images.map((i) => checkedImage(product, i, check(i.url)));
    const items = productAssetItems(product, images);
    expect(items.map((i) => [i.product.id, i.display_order, i.asset.filename, i.asset.type])).toEqual([
      ['P1', 1, '7.png', 'image'],
      ['P1', 2, '7-2.png', 'image'],
      ['P1', 3, '7-3.png', 'image'],
    ]);
    const swatches = navy.images.map((i) => checkedImage(navy, i, check(i.url)));
    expect(colorAssetItems(navy, swatches).map((i) => [i.sku_trait_value.value.external_id, i.asset.type, i.display_order])).toEqual([
      ['NVY', 'image', 1],
      ['NVY', 'swatch', 2],
    ]);
    const hash = mediaSetHash(images);
    expect(mediaSetHash([...images])).toBe(hash);
    expect(mediaSetHash([images[1], images[0], images[2]])).not.toBe(hash);
    expect(mediaSetHash(images.slice(0, 2))).not.toBe(hash);
    expect(mediaSetHash(images.map((i) => ({ ...i, type: 'swatch' as const })))).not.toBe(hash);
  });

  describe('deciding a set', () => {
    const [product] = planStyleMedia(style, [{ key: '7', joorId: 'P1', colorCodes: null }], resolve);
    const allPng = () => new Map(product.images.map((i) => [i.url, png]));

    it('adds a set JOOR was never sent, and leaves it alone once its hash is on the link', () => {
      const first = decideMediaSet(product, allPng(), null);
      if (first.action !== 'add') throw new Error(first.action);
      expect(first.images.map((i) => i.filename)).toEqual(['7.png', '7-2.png', '7-3.png']);
      expect(first.refused).toEqual([]);
      expect(decideMediaSet(product, allPng(), { payloadHash: first.hash, joorId: 'P1' })).toEqual({ refused: [], action: 'unchanged' });
      // The product was made anew on JOOR (another id): a first send there.
      expect(decideMediaSet(product, allPng(), { payloadHash: first.hash, joorId: 'P9' }).action).toBe('add');
    });

    it('replaces a set whose file changed on the server, or that lost an image JOOR cannot take (with its reason)', () => {
      const first = decideMediaSet(product, allPng(), null);
      if (first.action !== 'add') throw new Error(first.action);
      const last = { payloadHash: first.hash, joorId: 'P1' };
      const changed = allPng();
      changed.set(product.images[1].url, { ...png, etag: 'W/"new"' });
      expect(decideMediaSet(product, changed, last)).toMatchObject({ action: 'replace', refused: [] });
      const webp = allPng();
      webp.set(product.images[2].url, { ...png, contentType: 'image/webp' });
      const decision = decideMediaSet(product, webp, last);
      expect(decision).toMatchObject({ action: 'replace', refused: [{ image: product.images[2], transient: false, problem: expect.stringMatching(/WebP/) }] });
      if (decision.action === 'replace') expect(decision.images).toHaveLength(2);
    });

    it('holds the whole set when a server did not answer this time', () => {
      const slow = allPng();
      slow.set(product.images[0].url, { ...png, status: null, error: 'timeout' });
      expect(decideMediaSet(product, slow, null)).toMatchObject({ action: 'hold', reason: expect.stringMatching(/in time/), refused: [{ transient: true }] });
    });
  });
});
