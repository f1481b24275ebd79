import { flattenBody, parseAmcQuery } from './amc-query.parser';

const pairs = (query: string) => [...new URLSearchParams(query).entries()];

describe('parseAmcQuery', () => {
  it('reads bracketed filters in index order, paging, auth and plain short-form filters', () => {
    const parsed = parseAmcQuery(
      pairs(
        'token=t&time=5&parameters[1][field]=qty_inventory&parameters[1][operator]=>&parameters[1][value]=3&parameters[1][include_type]=or' +
          '&parameters[0][field]=product_id&parameters[0][operator]==&parameters[0][value]=1001&pagination[page_size]=20&pagination[last_id]=77&warehouse_id=2',
      ),
    );
    expect(parsed).toEqual({
      token: 't',
      time: '5',
      errors: [],
      paging: { pageSize: 20, lastId: '77' },
      filters: [
        { field: 'product_id', operator: '=', value: '1001', includeType: 'AND' },
        { field: 'qty_inventory', operator: '>', value: '3', includeType: 'OR' },
        { field: 'warehouse_id', operator: '=', value: '2', includeType: 'AND' },
      ],
    });
  });

  it('names every malformed part instead of guessing', () => {
    const parsed = parseAmcQuery(pairs('parameters[0][field]=price&parameters[0][operator]=LIKE&parameters[1][operator]==&pagination[page_size]=0&pagination[page_number]=x'));
    expect(parsed.errors).toEqual([
      'pagination[page_size] must be a positive whole number',
      'pagination[page_number] must be a positive whole number',
      'parameters[0][operator] "LIKE" is not one of = != > >= < <=',
      'parameters[1][field] is missing or not a field name',
    ]);
    expect(parsed.filters).toEqual([]);
  });

  it('refuses field names that are not plain identifiers (they reach SQL)', () => {
    expect(parseAmcQuery(pairs("parameters[0][field]=x'--&parameters[0][value]=1")).errors).toHaveLength(1);
    expect(parseAmcQuery(pairs("x'--=1")).filters).toEqual([]);
  });
});

describe('flattenBody', () => {
  it('flattens a JSON body into the pairs a query string would carry', () => {
    expect(flattenBody({ token: 't', time: 9, pagination: { page_size: 5 }, parameters: [{ field: 'a', value: 'b' }] })).toEqual([
      ['token', 't'],
      ['time', '9'],
      ['pagination[page_size]', '5'],
      ['parameters[0][field]', 'a'],
      ['parameters[0][value]', 'b'],
    ]);
  });
});
