import { checkAsset, sniffImage } from './assets.service';

describe('sniffImage', () => {
  it('knows png, jpeg and gif by their magic bytes and nothing else', () => {
    expect(sniffImage(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBeNull();
  });
});

describe('checkAsset', () => {
  const ok = { type: 'image', filename: 'a.png', source_url: 'https://img.example/a.png' };
  it('accepts an image with a gif/jpeg/jpg/png filename', () => expect(checkAsset(ok)).toEqual({ ...ok, external_id: null }));
  it.each([
    [{ ...ok, filename: 'a.webp' }, /must end in/],
    [{ ...ok, filename: `${'a'.repeat(97)}.png` }, /longer than 100/],
    [{ ...ok, type: 'video' }, /video/],
    [{ ...ok, source_url: 'ftp://x/a.png' }, /http or https/],
    [{ ...ok, type: 'poster' }, /asset.type/],
  ])('refuses %j', (asset, problem) => expect(checkAsset(asset)).toMatch(problem));
});
