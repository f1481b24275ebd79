import { amcApiRoot, buildAmcQuery, withoutQuery } from './amc-query';

describe('buildAmcQuery', () => {
  it('puts auth, bracketed filters, paging and plain parameters in AMC spelling', () => {
    const query = buildAmcQuery(
      { token: 'tok', time: 1700000000 },
      [
        { field: 'last_modified_time', operator: '>=', value: '2026-11-01T00:00:00Z' },
        { field: 'product_id', operator: '=', value: '7', includeType: 'OR' },
      ],
      { pageSize: 100, lastId: '42' },
      { warehouse_id: '1' },
    );
    expect([...new URLSearchParams(query).entries()]).toEqual([
      ['token', 'tok'],
      ['time', '1700000000'],
      ['parameters[0][field]', 'last_modified_time'],
      ['parameters[0][operator]', '>='],
      ['parameters[0][value]', '2026-11-01T00:00:00Z'],
      ['parameters[1][field]', 'product_id'],
      ['parameters[1][operator]', '='],
      ['parameters[1][value]', '7'],
      ['parameters[1][include_type]', 'OR'],
      ['pagination[page_size]', '100'],
      ['pagination[last_id]', '42'],
      ['warehouse_id', '1'],
    ]);
  });

  it('encodes operators and values so they survive the query string', () => {
    const query = buildAmcQuery({ token: 't&x', time: 1 }, [{ field: 'customer_po', operator: '>', value: 'A&B =1' }]);
    expect(query).toContain('token=t%26x');
    expect(new URLSearchParams(query).get('parameters[0][value]')).toBe('A&B =1');
    expect(new URLSearchParams(query).get('parameters[0][operator]')).toBe('>');
  });

  it('sends page_number only when asked', () => {
    const params = new URLSearchParams(buildAmcQuery({ token: 't', time: 1 }, [], { pageSize: 10, pageNumber: 3 }));
    expect(params.get('pagination[page_number]')).toBe('3');
    expect(params.has('pagination[last_id]')).toBe(false);
  });
});

describe('amcApiRoot / withoutQuery', () => {
  it('accepts a host with or without /api/json and trailing slashes', () => {
    expect(amcApiRoot('https://acme.app.apparelmagic.com')).toBe('https://acme.app.apparelmagic.com/api/json');
    expect(amcApiRoot('https://acme.app.apparelmagic.com/api/json/')).toBe('https://acme.app.apparelmagic.com/api/json');
    expect(amcApiRoot('http://amc-sandbox:4001/')).toBe('http://amc-sandbox:4001/api/json');
  });

  it('drops the query (where the token travels)', () => {
    expect(withoutQuery('http://h/api/json/products?token=secret&time=1')).toBe('http://h/api/json/products');
  });
});
