import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ImageProber, sniff } from './image-prober';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 7)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8L'), Buffer.alloc(64)]);

/** A real HTTP server answering as image hosts do: some take HEAD, some refuse it, one never answers. */
describe('ImageProber (a real HTTP server)', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method: string; url: string; range: string | undefined }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, range: req.headers.range });
      if (req.url === '/slow.png') return; // never answers
      if (req.url === '/a.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length, etag: '"v1"', 'last-modified': 'Sun, 06 Dec 2026 00:00:00 GMT' });
        res.end(req.method === 'HEAD' ? undefined : PNG);
        return;
      }
      if (req.url === '/no-head.bin' || req.url === '/no-head.webp') {
        if (req.method === 'HEAD') {
          res.writeHead(405).end();
          return;
        }
        const body = req.url.endsWith('.webp') ? WEBP : PNG;
        res.writeHead(206, { 'content-type': 'application/octet-stream', 'content-range': `bytes 0-15/${body.length}`, 'content-length': 16 });
        res.end(body.subarray(0, 16));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads type, length and validators from a HEAD, never the file', async () => {
    const probe = await new ImageProber(2, 2_000).probe(`${base}/a.png`);
    expect(probe).toMatchObject({ status: 200, contentType: 'image/png', contentLength: PNG.length, etag: '"v1"', lastModified: 'Sun, 06 Dec 2026 00:00:00 GMT' });
    expect(seen.filter((s) => s.url === '/a.png').map((s) => s.method)).toEqual(['HEAD']);
  });

  it('falls back to the first bytes of a ranged GET where HEAD is refused, and tells png from WebP', async () => {
    const prober = new ImageProber(2, 2_000);
    expect(await prober.probe(`${base}/no-head.bin`)).toMatchObject({ status: 200, sniffed: 'image/png', contentLength: PNG.length });
    expect(await prober.probe(`${base}/no-head.webp`)).toMatchObject({ status: 200, sniffed: 'image/webp' });
    expect(seen.filter((s) => s.url === '/no-head.bin' && s.method === 'GET').map((s) => s.range)).toEqual(['bytes=0-15']);
  });

  it('reports a missing file and a server that does not answer in time', async () => {
    const answers = await new ImageProber(4, 300).probeAll([`${base}/gone.png`, `${base}/slow.png`, `${base}/gone.png`]);
    expect(answers.size).toBe(2);
    expect(answers.get(`${base}/gone.png`)).toMatchObject({ status: 404 });
    expect(answers.get(`${base}/slow.png`)).toMatchObject({ status: null, error: 'timeout' });
  });

  it('sniffs the image types JOOR takes and WebP', () => {
    expect(sniff(PNG)).toBe('image/png');
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniff(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniff(WEBP)).toBe('image/webp');
    expect(sniff(Buffer.from('<html>'))).toBe('other');
  });
});
