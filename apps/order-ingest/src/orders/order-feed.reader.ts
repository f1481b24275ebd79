import type { ConnectionSettings } from '@app/contracts';
import type { JoorClient, JoorFeedOrder } from '@app/joor-client';
import { orderFeedQuery } from './order-feed-query';

export interface FeedRead {
  orders: JoorFeedOrder[];
  invalid: Array<{ problem: string }>;
  /** More orders wait than one poll takes; the rest follow at the next poll. */
  truncated: boolean;
}

/**
 * The poll's orders, read whole before anything is written (writing export statuses while paging
 * would shift JOOR's offsets under the reader), through the client's feed paging. An order modified
 * while the feed is read moves to its end and may show twice: the latest copy is kept.
 */
export async function readOrderFeed(joor: JoorClient, settings: ConnectionSettings, options: { pageSize: number; maxOrders: number; orderId?: string }): Promise<FeedRead> {
  const byId = new Map<string, JoorFeedOrder>();
  const invalid: Array<{ problem: string }> = [];
  for await (const page of joor.orderFeedPages({ ...orderFeedQuery(settings, options.orderId), count: options.pageSize })) {
    for (const order of page.items) byId.set(order.order_id, order);
    invalid.push(...page.invalid);
    if (byId.size >= options.maxOrders) return { orders: [...byId.values()].slice(0, options.maxOrders), invalid, truncated: true };
  }
  return { orders: [...byId.values()], invalid, truncated: false };
}
