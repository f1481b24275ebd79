import { buildFilterSql, parseAmcTime } from './amc-filter.sql';

describe('buildFilterSql', () => {
  it('uses the indexed columns for last_modified_time and the id, JSON values otherwise', () => {
    const sql = buildFilterSql(
      'inventory',
      [
        { field: 'last_modified_time', operator: '>=', value: '2026-11-01 10:00:00', includeType: 'AND' },
        { field: 'sku_id', operator: '>', value: '99', includeType: 'AND' },
        { field: 'qty_inventory', operator: '>=', value: '5', includeType: 'OR' },
        { field: 'style_number', operator: '=', value: 'ST-1', includeType: 'AND' },
      ],
      2,
    );
    expect(sql.errors).toEqual([]);
    expect(sql.params).toEqual(['2026-11-01T10:00:00.000Z', '00000000000000000099', '5', 'ST-1']);
    expect(sql.sql).toBe(
      "((((last_modified >= $2::timestamptz) AND sort_key > $3) OR (CASE WHEN data->>'qty_inventory' ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (data->>'qty_inventory')::numeric END) >= $4::numeric) AND data->>'style_number' = $5)",
    );
  });

  it('reports an unreadable date', () => {
    expect(buildFilterSql('products', [{ field: 'last_modified_time', operator: '>=', value: 'yesterday', includeType: 'AND' }], 2).errors).toHaveLength(1);
  });

  it('is empty without filters', () => {
    expect(buildFilterSql('products', [], 2)).toEqual({ sql: '', params: [], errors: [] });
  });
});

describe('parseAmcTime', () => {
  it('reads ISO, space-separated (UTC) and bare dates', () => {
    expect(parseAmcTime('2022-12-01T14:32:16Z')?.toISOString()).toBe('2022-12-01T14:32:16.000Z');
    expect(parseAmcTime('2022-12-01 14:32:16')?.toISOString()).toBe('2022-12-01T14:32:16.000Z');
    expect(parseAmcTime('2022-12-01')?.toISOString()).toBe('2022-12-01T00:00:00.000Z');
    expect(parseAmcTime('12/01/2022')).toBeNull();
  });
});
