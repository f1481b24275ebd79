import { createHash } from 'crypto';
import { crc32 as zlibCrc32, inflateSync } from 'zlib';
import { crc32, renderPng } from './png';

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
}

/** A minimal PNG reader, independent of the writer: signature, then length/type/data/CRC chunks. */
function readChunks(png: Buffer): Chunk[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: Chunk[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    chunks.push({ type, data: png.subarray(at + 8, at + 8 + length), crc: png.readUInt32BE(at + 8 + length) });
    at += 12 + length;
  }
  expect(at).toBe(png.length);
  return chunks;
}

describe('renderPng', () => {
  it('writes a valid PNG: signature, IHDR first, IDAT, IEND last, every CRC right', () => {
    const png = renderPng('/images/styles/1001.png');
    const chunks = readChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    for (const c of chunks) expect(c.crc).toBe(zlibCrc32(Buffer.concat([Buffer.from(c.type, 'ascii'), c.data])));
    const ihdr = chunks[0].data;
    expect(ihdr).toHaveLength(13);
    expect({ width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), depth: ihdr[8], colour: ihdr[9], compression: ihdr[10], filter: ihdr[11], interlace: ihdr[12] }).toEqual({
      width: 64,
      height: 64,
      depth: 8,
      colour: 2,
      compression: 0,
      filter: 0,
      interlace: 0,
    });
    expect(chunks[2].data).toHaveLength(0);
  });

  it('stores one filter byte and width x 3 bytes per row, with the requested size', () => {
    const png = renderPng('swatch', { width: 10, height: 7 });
    const chunks = readChunks(png);
    expect(chunks[0].data.readUInt32BE(0)).toBe(10);
    expect(chunks[0].data.readUInt32BE(4)).toBe(7);
    const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
    expect(raw).toHaveLength(7 * (1 + 10 * 3));
    for (let y = 0; y < 7; y++) expect(raw[y * 31]).toBe(0);
  });

  it('gives the same bytes for the same key and different bytes for another key', () => {
    const a = renderPng('/images/colors/1001-BLK.png');
    expect(renderPng('/images/colors/1001-BLK.png').equals(a)).toBe(true);
    expect(renderPng('/images/colors/1001-WHT.png').equals(a)).toBe(false);
    // Pinned on the pixels, not the file: another zlib build may compress the same pixels differently.
    const pixels = inflateSync(readChunks(renderPng('pinned'))[1].data);
    expect(createHash('sha256').update(pixels).digest('hex')).toBe('533ba9da4194514a51736c3ab6a4fd8e83e7ecfa1e7165bc77b82aa54932f839');
  });

  it('refuses sizes that are not whole numbers from 1 to 1024', () => {
    expect(() => renderPng('k', { width: 0 })).toThrow('width must be');
    expect(() => renderPng('k', { height: 2000 })).toThrow('height must be');
    expect(() => renderPng('k', { width: 1.5 })).toThrow('width must be');
  });

  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789', 'ascii'))).toBe(0xcbf43926);
  });
});
