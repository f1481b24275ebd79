import type { ImageProbe } from '@app/mapping';

/** Bytes enough to tell png, jpeg, gif and WebP apart. */
const SNIFF_BYTES = 16;

/**
 * Asks an image server about images without downloading them (no JOOR credits): a HEAD gives the
 * status, type, length and validators (ETag, Last-Modified); when the server refuses HEAD or names
 * no image type, a ranged GET of the first bytes (the body is cancelled after them) shows the type.
 * At most `concurrency` requests at once, so memory stays a few kB per request in flight.
 */
export class ImageProber {
  constructor(
    private readonly concurrency: number,
    private readonly timeoutMs: number,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** Every URL's answer, asked `concurrency` at a time. */
  async probeAll(urls: readonly string[]): Promise<Map<string, ImageProbe>> {
    const out = new Map<string, ImageProbe>();
    const unique = [...new Set(urls)];
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const url = unique[next++];
        out.set(url, await this.probe(url));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, unique.length) }, worker));
    return out;
  }

  async probe(url: string): Promise<ImageProbe> {
    try {
      const head = await this.fetchFn(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
      const probe = probeOf(head);
      const declared = (probe.contentType ?? '').split(';')[0].trim().toLowerCase();
      const refused = head.status === 405 || head.status === 501;
      if (!refused && (!head.ok || declared.startsWith('image/'))) return probe;
      return await this.sniff(url, refused ? null : probe);
    } catch (err) {
      return noAnswer(err);
    }
  }

  private async sniff(url: string, head: ImageProbe | null): Promise<ImageProbe> {
    try {
      const res = await this.fetchFn(url, { headers: { range: `bytes=0-${SNIFF_BYTES - 1}` }, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
      const probe = head ?? probeOf(res);
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        return { ...probe, status: res.status };
      }
      // The full length of a ranged answer is after the slash of Content-Range.
      const total = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '')?.[1];
      const first = await firstBytes(res, SNIFF_BYTES);
      return { ...probe, status: res.status === 206 ? 200 : res.status, contentLength: total ? Number(total) : probe.contentLength, sniffed: sniff(first) };
    } catch (err) {
      return noAnswer(err);
    }
  }
}

function probeOf(res: Response): ImageProbe {
  const length = res.headers.get('content-length');
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    contentLength: length !== null && /^\d+$/.test(length.trim()) ? Number(length) : null,
    etag: res.headers.get('etag'),
    lastModified: res.headers.get('last-modified'),
  };
}

function noAnswer(err: unknown): ImageProbe {
  const name = (err as Error)?.name;
  return { status: null, error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable', contentType: null, contentLength: null, etag: null, lastModified: null };
}

/** Up to `n` bytes of the body, then the rest is cancelled (a server ignoring Range sends the whole file). */
async function firstBytes(res: Response, n: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const out = new Uint8Array(n);
  let filled = 0;
  try {
    while (filled < n) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, n - filled);
      out.set(take, filled);
      filled += take.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, filled);
}

/** The image type of the first bytes. */
export function sniff(bytes: Uint8Array): NonNullable<ImageProbe['sniffed']> {
  const at = (i: number, ...values: number[]) => values.every((v, k) => bytes[i + k] === v);
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return 'other';
}
