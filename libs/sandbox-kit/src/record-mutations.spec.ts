import { countRecords, mangleAnswer, RECORD_MUTATIONS } from './record-mutations';

const amcPage = () =>
  Buffer.from(
    JSON.stringify({
      response: [
        { product_id: '1', style_number: 'A1', description: 'Tee', price: '10.00', last_modified_time: '2026-01-01 00:00:00', skus: [{ sku_id: '9' }] },
        { product_id: '2', style_number: 'A2', description: 'Top', price: '12.00', last_modified_time: '2026-01-01 00:00:00', skus: [] },
      ],
      meta: { pagination: { total_records: '2' } },
    }),
  );

describe('record mutations (the sandboxes’ mangle fault)', () => {
  it('finds the list wherever the envelope keeps it', () => {
    expect(countRecords(amcPage())).toBe(2);
    expect(countRecords(Buffer.from(JSON.stringify({ orders: { order: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } })))).toBe(3);
    expect(countRecords(Buffer.from(JSON.stringify([{ id: 1 }])))).toBe(1);
    expect(countRecords(Buffer.from('{"response":'))).toBe(0);
  });

  it.each(RECORD_MUTATIONS.map((m) => [m]))('%s changes only the chosen record', (mutation) => {
    const { body, applied } = mangleAnswer(amcPage(), mutation, 1);
    expect(applied).toMatch(new RegExp(`^${mutation}: `));
    expect(body.equals(amcPage())).toBe(false);
    // The other record stays as the route wrote it (broken UTF-8 aside, the answer is still JSON).
    const text = body.toString('utf8');
    const parsed = JSON.parse(text) as { response: unknown[] };
    expect(parsed.response[0]).toEqual(JSON.parse(amcPage().toString()).response[0]);
  });

  it('writes a key twice and bytes that are not UTF-8 into the raw answer', () => {
    expect(mangleAnswer(amcPage(), 'duplicated-key', 0).body.toString()).toContain('"product_id":"duplicate","product_id":"1"');
    expect(mangleAnswer(amcPage(), 'broken-utf8', 0).body.includes(Buffer.from([0xff, 0xfe]))).toBe(true);
  });

  it('leaves an answer with nothing to change as it was, saying so', () => {
    expect(mangleAnswer(Buffer.from('{"ok":true}'), 'missing-id', 0)).toEqual({ body: Buffer.from('{"ok":true}'), applied: 'none: no list of records in the answer' });
  });
});
