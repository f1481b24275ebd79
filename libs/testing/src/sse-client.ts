import { waitFor } from './wait';

/** One Server-Sent Event's data, parsed as JSON (the gateway's streams send one object per event). */
export type SseMessage = Record<string, any> & { type: string };

/** A stream followed with fetch, as a script would (`curl -N`): its messages as they come, and whether the server ended it. */
export interface SseFollower {
  status: number;
  contentType: string | null;
  readonly messages: SseMessage[];
  readonly ended: boolean;
  /** Waits for the first message (after `from`) that `match` accepts; answers it. */
  next(match: (message: SseMessage) => boolean, what: string, timeoutMs?: number, from?: number): Promise<SseMessage>;
  /** Waits until the server ends the stream. */
  end(timeoutMs?: number): Promise<SseMessage[]>;
  /** Leaves (the client's side of the connection closes). */
  close(): void;
}

/** Opens `url` as an event stream and parses each event's `data:` lines as it arrives. */
export async function followSse(url: string, headers: Record<string, string> = {}): Promise<SseFollower> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const messages: SseMessage[] = [];
  let ended = false;
  const pump = async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data) messages.push(JSON.parse(data) as SseMessage);
      }
    }
  };
  const pumped = pump()
    .catch(() => undefined)
    .finally(() => (ended = true));
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    messages,
    get ended() {
      return ended;
    },
    next: (match, what, timeoutMs = 30_000, from = 0) => waitFor(what, () => messages.slice(from).find(match), timeoutMs, 20),
    async end(timeoutMs = 30_000) {
      await waitFor('the stream to end', () => ended, timeoutMs, 20);
      await pumped;
      return messages;
    },
    close: () => controller.abort(),
  };
}
