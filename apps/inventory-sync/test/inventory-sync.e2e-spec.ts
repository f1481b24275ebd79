import { DataSource } from 'typeorm';
import { AmcClient } from '@app/amc-client';
import { QUEUES, jobIds, upsertScheduler } from '@app/contracts';
import { generateBrand, type Brand } from '@app/sandbox-seed';
import request from 'supertest';
import { parsePrometheusText, samplesOf, SandboxKitClient, waitFor } from '@app/testing';
import { startCatalogStack, type CatalogStack } from '@app/testing/catalog-sync-stack';
import { actualStock, expectedStock } from '@app/testing/inventory-oracle';

const SEED = { styles: 40, seed: 9 };

async function patchAmc(stack: CatalogStack, resource: string, id: string, fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.amc.url}/_sandbox/records/${resource}/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
  if (!res.ok) throw new Error(`PATCH ${resource}/${id} answered ${res.status}: ${await res.text()}`);
}

/** The JOOR inventory writes and 429s in the sandbox's call log after `since`. */
async function inventoryCalls(kit: SandboxKitClient, since: number) {
  const { calls } = await kit.calls({ since, limit: 10_000 });
  return { writes: calls.filter((c) => c.method !== 'GET' && c.path.startsWith('/v2/bulk-inventory')), throttled: calls.filter((c) => c.status === 429).length };
}

describe('inventory sync AMC -> JOOR (both sandboxes over HTTP, real PostgreSQL and Redis)', () => {
  jest.setTimeout(180_000);
  let stack: CatalogStack;
  let kit: SandboxKitClient;
  let brand: Brand;
  let connectionId: string;
  let warehouse: string;
  let joorWarehouse: string;

  beforeAll(async () => {
    // 60 rows per stock call: a full run makes a dozen calls, so faults and batch boundaries happen.
    stack = await startCatalogStack('inv', SEED, { inventory: true, inventoryTuning: { rowsPerCall: 60 } });
    kit = new SandboxKitClient(stack.joor.url);
    brand = generateBrand({ ...SEED, customers: 20, orders: 0 });
    warehouse = brand.amc.settings.amcWarehouseId;
    joorWarehouse = brand.amc.settings.joorWarehouseName;
    connectionId = await stack.connect('brand', { amcWarehouseId: warehouse, joorWarehouseName: joorWarehouse });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const inventoryRuns = async (): Promise<Array<{ id: string; trigger: string; status: string; details: Record<string, unknown> }>> =>
    stack.app.get(DataSource).query(`SELECT id, trigger, status, details FROM sync_run WHERE connection_id = $1 AND kind = 'inventory' ORDER BY queued_at`, [connectionId]);

  it('after a catalog sync, JOOR holds the chosen stock of the chosen warehouse for exactly the SKUs on JOOR', async () => {
    const catalog = await stack.sync(connectionId, { full: true });
    expect(catalog.status).toBe('partial');
    // The catalog run asked for its SKUs' stock to follow: an inventory run with trigger follow-up naming it.
    const followUp = await waitFor('the follow-up inventory run', async () => (await inventoryRuns()).find((r) => r.trigger === 'follow-up'), 30_000, 200);
    expect(followUp.details).toMatchObject({ causedBy: catalog.id });
    await stack.waitRun(followUp.id);

    const run = await stack.inventory!.sync(connectionId, { full: true });
    expect(run.status).toBe('succeeded');
    const expected = expectedStock(brand, { warehouseId: warehouse, field: 'qty_avail_sell' });
    expect(expected.size).toBeGreaterThan(100);
    expect(await actualStock(stack.joor, joorWarehouse)).toEqual(expected);
    // The seed stocks other warehouses differently: the company-wide total or another warehouse would not pass.
    const other = brand.amc.warehouses.find((w) => w.id !== warehouse)!;
    expect(expectedStock(brand, { warehouseId: other.id, field: 'qty_avail_sell' })).not.toEqual(expected);
    expect(run.details).toMatchObject({ mode: 'full', amcWarehouseId: warehouse, stockField: 'qty_avail_sell', joorWarehouseName: joorWarehouse });
  });

  it('an unchanged re-run spends no write credits', async () => {
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    const run = await stack.inventory!.sync(connectionId, { full: true });
    const calls = await inventoryCalls(kit, since);
    expect(calls.writes).toEqual([]);
    expect(run).toMatchObject({ status: 'succeeded', countCreated: 0, countUpdated: 0 });
    expect(run.countUnchanged).toBeGreaterThan(100);
  });

  it("counts the runs and JOOR credits on inventory-sync's /metrics per connection, and the delta cursor's age", async () => {
    const db = stack.app.get(DataSource);
    const runs: Array<{ status: string; credits_spent: number }> = await db.query(
      `SELECT status, credits_spent FROM sync_run WHERE connection_id = $1 AND kind = 'inventory' AND finished_at IS NOT NULL`,
      [connectionId],
    );
    const cursorAge = async () =>
      Number((await db.query(`SELECT EXTRACT(EPOCH FROM now() - value::timestamptz) AS s FROM sync_cursor WHERE connection_id = $1 AND stream = 'amc.inventory'`, [connectionId]))[0].s);
    const before = await cursorAge();
    const samples = parsePrometheusText((await request(stack.inventory!.app.getHttpServer()).get('/metrics').expect(200)).text);
    const after = await cursorAge();

    const byStatus = new Map<string, number>();
    for (const run of runs) byStatus.set(run.status, (byStatus.get(run.status) ?? 0) + 1);
    expect(byStatus.get('succeeded')).toBeGreaterThanOrEqual(2);
    const counted = samplesOf(samples, 'amcjoor_runs_total', { kind: 'inventory', connection_id: connectionId, service: 'inventory-sync' });
    expect(new Map(counted.map((s) => [s.labels.status, s.value]))).toEqual(byStatus);
    const credits = samplesOf(samples, 'amcjoor_joor_credits_total', { kind: 'inventory', connection_id: connectionId });
    expect(credits.map((s) => s.value)).toEqual([runs.reduce((sum, r) => sum + r.credits_spent, 0)]);
    expect(credits[0].value).toBeGreaterThan(0);
    // inventory-sync counts only its own kind: the catalog runs are on catalog-sync's /metrics.
    expect(samplesOf(samples, 'amcjoor_runs_total', { kind: 'catalog' })).toEqual([]);
    const [age] = samplesOf(samples, 'amcjoor_inventory_cursor_age_seconds', { connection_id: connectionId });
    expect(age.value).toBeGreaterThanOrEqual(before);
    expect(age.value).toBeLessThanOrEqual(after);
  });

  it('a stock change in AMC reaches JOOR by the schedule alone; the other SKUs of the style keep theirs', async () => {
    const before = await actualStock(stack.joor, joorWarehouse);
    const expected = expectedStock(brand, { warehouseId: warehouse, field: 'qty_avail_sell' });
    const [key] = [...expected.keys()];
    const [style] = key.split('|');
    const sku = brand.amc.skus.find((s) => s.style_number === style && `${style}|${s.attr_2}|${s.size}` === key)!;
    const sibling = [...expected.keys()].find((k) => k.startsWith(`${style}|`) && k !== key)!;
    expect(sibling).toBeDefined();
    const row = brand.amc.skuWarehouse.find((r) => r.sku_id === sku.sku_id && r.warehouse_id === warehouse)!;
    const next = row.qty_avail_sell + 17;
    // Through AMC's own API, as a person or another system would change stock.
    const amc = new AmcClient({ baseUrl: stack.amc.url, token: stack.amc.token, requestsPerSecond: 50 });
    await amc.updateInventory(sku.sku_id, { warehouse_id: warehouse, qty_avail_sell: next });
    const { qty_avail_sell: shown } = (await amc.skuWarehouse(warehouse, { filters: [{ field: 'sku_id', operator: '=', value: sku.sku_id }] })).records[0];
    expect(shown).toBe(next);

    const schedulerId = jobIds.schedule('inventory', connectionId);
    await upsertScheduler(stack.inventory!.queue, QUEUES.inventory, 'inventory.sync', schedulerId, 1_000, { connectionId, trigger: 'schedule' });
    try {
      await waitFor('JOOR to show the new stock', async () => (await actualStock(stack.joor, joorWarehouse)).get(key) === next, 60_000, 300);
    } finally {
      await stack.inventory!.queue.removeJobScheduler(schedulerId);
    }
    const after = await actualStock(stack.joor, joorWarehouse);
    expect(after.get(sibling)).toBe(before.get(sibling));
    const deltas = (await inventoryRuns()).filter((r) => r.trigger === 'schedule' && r.details.mode === 'delta');
    expect(deltas.length).toBeGreaterThan(0);
    row.qty_avail_sell = next;
  });

  it('a style that a catalog run puts on JOOR brings its stock with it (a follow-up, no inventory trigger)', async () => {
    const unflagged = brand.amc.products.find((p) => p.joor_sync === '0' && !brand.expectations.badStyles.some((b) => b.product_id === p.product_id))!;
    expect(unflagged).toBeDefined();
    unflagged.joor_sync = '1';
    await patchAmc(stack, 'products', unflagged.product_id, { joor_sync: '1' });
    for (const colorway of brand.amc.attributes.filter((a) => a.product_id === unflagged.product_id)) {
      colorway.joor_sync = '1';
      await patchAmc(stack, 'product_attributes', colorway.id, { joor_sync: '1' });
    }
    for (const sku of brand.amc.skus.filter((s) => s.product_id === unflagged.product_id && s.active === '1')) {
      sku.joor_sync = '1';
      await patchAmc(stack, 'inventory', sku.sku_id, { joor_sync: '1' });
    }
    const catalog = await stack.sync(connectionId);
    expect(catalog.countCreated).toBe(1);
    const expected = expectedStock(brand, { warehouseId: warehouse, field: 'qty_avail_sell' });
    const ofStyle = [...expected].filter(([k]) => k.startsWith(`${unflagged.style_number}|`));
    expect(ofStyle.length).toBeGreaterThan(0);
    await waitFor(
      'the new style s stock on JOOR',
      async () => {
        const actual = await actualStock(stack.joor, joorWarehouse);
        return ofStyle.every(([k, q]) => actual.get(k) === q);
      },
      60_000,
      300,
    );
    expect((await inventoryRuns()).filter((r) => r.trigger === 'follow-up' && r.details.causedBy === catalog.id)).toHaveLength(1);
  });

  it('a new stock field changes what JOOR shows at the next run', async () => {
    await stack.connections.update(connectionId, { settings: { stockField: 'qty_inventory' } });
    const run = await stack.inventory!.sync(connectionId);
    expect(run.details).toMatchObject({ mode: 'full', shapeChanged: ['stockField'], stockField: 'qty_inventory' });
    const expected = expectedStock(brand, { warehouseId: warehouse, field: 'qty_inventory' });
    expect(expected).not.toEqual(expectedStock(brand, { warehouseId: warehouse, field: 'qty_avail_sell' }));
    expect(await actualStock(stack.joor, joorWarehouse)).toEqual(expected);
  });

  it('a warehouse JOOR does not know is an event with a plain reason, the run ends partial, and nothing is lost', async () => {
    const other = await stack.connect('unknown-warehouse', { amcWarehouseId: warehouse, joorWarehouseName: 'Nowhere' });
    // Its SKU links come from its own catalog run (the account's JOOR catalog is already there: DUPLICATED resolves it).
    await stack.sync(other, { full: true });
    const run = await stack.inventory!.sync(other, { full: true });
    expect(run.status).toBe('partial');
    const events: Array<{ level: string; reason: string }> = await stack.app.get(DataSource).query(`SELECT level, reason FROM sync_event WHERE run_id = $1 AND level = 'error'`, [run.id]);
    expect(events.some((e) => /JOOR refused the stock of \d+ SKU\(s\).*Nowhere/.test(e.reason))).toBe(true);
    expect(run.details).toMatchObject({ due: expect.any(Number) });
    expect((run.details as { due: number }).due).toBeGreaterThan(0);
  });

  it('a stock row AMC sends unreadable, and a SKU JOOR refuses, are events; the rest goes through and they stay due', async () => {
    const expected = expectedStock(brand, { warehouseId: warehouse, field: 'qty_inventory' });
    const [unreadableKey, refusedKey, fineKey] = [...expected.keys()].slice(3, 6);
    const skuOf = (key: string) => brand.amc.skus.find((s) => `${s.style_number}|${s.attr_2}|${s.size}` === key)!;
    const rowOf = (key: string) => brand.amc.skuWarehouse.find((r) => r.sku_id === skuOf(key).sku_id && r.warehouse_id === warehouse)!;
    const amc = new AmcClient({ baseUrl: stack.amc.url, token: stack.amc.token, requestsPerSecond: 50 });
    const rowIds = new Map<string, string>();
    for (const key of [unreadableKey, refusedKey, fineKey]) {
      const [record] = (await amc.skuWarehouse(warehouse, { filters: [{ field: 'sku_id', operator: '=', value: skuOf(key).sku_id }] })).records;
      rowIds.set(key, record.id);
    }
    const rowId = (key: string) => rowIds.get(key);
    // A quantity that is not a number, a SKU JOOR cannot find (its link names it by a UPC and style JOOR does not have), and a good change.
    await patchAmc(stack, 'sku_warehouse', rowId(unreadableKey)!, { qty_inventory: 'lots' });
    const ds = stack.app.get(DataSource);
    const refusedSku = skuOf(refusedKey).sku_id;
    await ds.query(
      `UPDATE entity_link SET meta = meta || '{"upc": "000000000000", "style": "NO-SUCH-STYLE", "styleNumber": "NO-SUCH-STYLE"}'::jsonb WHERE connection_id = $1 AND entity_type = 'sku' AND amc_id = $2`,
      [connectionId, refusedSku],
    );
    await patchAmc(stack, 'sku_warehouse', rowId(refusedKey)!, { qty_inventory: String(rowOf(refusedKey).qty_inventory + 3) });
    const fine = rowOf(fineKey);
    fine.qty_inventory += 5;
    await patchAmc(stack, 'sku_warehouse', rowId(fineKey)!, { qty_inventory: String(fine.qty_inventory) });

    const run = await stack.inventory!.sync(connectionId);
    expect(run.status).toBe('partial');
    const events: Array<{ entity_key: string | null; reason: string }> = await ds.query(`SELECT entity_key, reason FROM sync_event WHERE run_id = $1 AND level = 'error'`, [run.id]);
    expect(events.some((e) => /stock row that cannot be read.*qty_inventory must be a whole number/.test(e.reason))).toBe(true);
    expect(events.some((e) => e.entity_key === refusedSku && /JOOR refused the stock of SKU .*SKU not found/.test(e.reason))).toBe(true);
    expect((await actualStock(stack.joor, joorWarehouse)).get(fineKey)).toBe(fine.qty_inventory);
    expect(await ds.query(`SELECT entity_key FROM sync_due WHERE connection_id = $1 AND kind = 'inventory'`, [connectionId])).toEqual([{ entity_key: refusedSku }]);
    // AMC as the brand has it again, for the tests after this one.
    await patchAmc(stack, 'sku_warehouse', rowId(unreadableKey)!, { qty_inventory: String(rowOf(unreadableKey).qty_inventory) });
    await patchAmc(stack, 'sku_warehouse', rowId(refusedKey)!, { qty_inventory: String(rowOf(refusedKey).qty_inventory) });
  });

  it('with 20% of JOOR calls faulted, runs converge to the same stock, with no 429', async () => {
    // JOOR's catalog and stock are wiped; a new connection puts them back, its stock under faults.
    await stack.joor.seed({ ...SEED, orders: 0, customers: 20 });
    const fresh = await stack.connect('faulted', { amcWarehouseId: warehouse, joorWarehouseName: joorWarehouse, stockField: 'qty_inventory' });
    const since = (await kit.calls({ limit: 1 })).lastSeq;
    // Faults from the start: the catalog run's follow-up meets them too.
    await kit.setFaults({ rules: [{ path: '/v2/bulk-inventory', kinds: ['500', '503', 'malformed', 'timeout'], rate: 0.2 }], seed: 21, timeoutMs: 1_500 });
    try {
      await stack.sync(fresh, { full: true });
      for (let i = 0; i < 8; i++) {
        const run = await stack.inventory!.sync(fresh, {}, { backoffMs: 200 });
        if (run.status === 'succeeded' && run.countFailed === 0 && !(run.details as { due?: number }).due) break;
      }
    } finally {
      await kit.clearFaults();
    }
    expect(await actualStock(stack.joor, joorWarehouse)).toEqual(expectedStock(brand, { warehouseId: warehouse, field: 'qty_inventory' }));
    expect((await inventoryCalls(kit, since)).throttled).toBe(0);
    expect((await kit.calls({ since, limit: 10_000 })).calls.some((c) => c.fault !== null)).toBe(true);
  });
});
