import { orderFeedQuery } from './order-feed-query';

describe('orderFeedQuery', () => {
  it('asks for the statuses of the orderType setting, unexported/failed/modified orders, from the start date', () => {
    expect(orderFeedQuery({ orderType: 'approved', orderStartDate: '2026-07-04' })).toEqual({ orderType: 6, exportStatus: 5, dateStart: '2026-07-04' });
    expect(orderFeedQuery({ orderType: 'shipped', orderStartDate: null })).toEqual({ orderType: 7, exportStatus: 5 });
    expect(orderFeedQuery({ orderType: 'approved_and_shipped', orderStartDate: null }, '5000007')).toEqual({ orderType: 2, exportStatus: 5, orderId: '5000007' });
  });
});
