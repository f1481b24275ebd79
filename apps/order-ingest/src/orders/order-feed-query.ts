import type { ConnectionSettings, OrderType } from '@app/contracts';
import type { JoorOrderFeedQuery, JoorOrderType } from '@app/joor-client';

/** v2 `order_type` of each `orderType` setting. */
export const ORDER_TYPE_CODES: Record<OrderType, JoorOrderType> = { approved: 6, shipped: 7, approved_and_shipped: 2 };

/** v2 `export_status` 5: not yet exported (failed ones included), or exported and modified since. */
export const NOT_EXPORTED_OR_MODIFIED = 5;

/**
 * The feed query of a poll (pure): the statuses the connection asks for, orders not yet exported or
 * failed before or modified since their export, modified on or after the start date (an order
 * dated on or after it cannot have been modified before it). The client always adds `sync=0`.
 */
export function orderFeedQuery(settings: Pick<ConnectionSettings, 'orderType' | 'orderStartDate'>, orderId?: string): Omit<JoorOrderFeedQuery, 'startFrom' | 'count'> {
  return {
    orderType: ORDER_TYPE_CODES[settings.orderType],
    exportStatus: NOT_EXPORTED_OR_MODIFIED,
    ...(settings.orderStartDate ? { dateStart: settings.orderStartDate } : {}),
    ...(orderId ? { orderId } : {}),
  };
}
