import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { generateBrand, type SeedOptions } from '@app/sandbox-seed';
import { JOOR_SANDBOX_CONFIG } from '../joor-sandbox.tokens';
import type { JoorSandboxConfig } from '../joor-sandbox.config';
import { ConnectionsService } from '../v2/connections.service';
import { OrdersService } from '../v4/orders.service';
import { JOOR_SANDBOX_DDL, SEEDED_TABLES } from './joor-sandbox.schema';
import { MetaRepository } from './meta.repository';
import { SandboxDb } from './sandbox-db';

export interface SeedSummary {
  accountId: string;
  options: Required<SeedOptions>;
  priceTypes: number;
  seasons: number;
  warehouses: string[];
  connections: number;
  orders: number;
}

/** Creates the schema at boot (idempotent, safe when several processes start at once) and loads the seeded brand's JOOR side. */
@Injectable()
export class SandboxStateService implements OnApplicationBootstrap {
  private readonly logger = new Logger('JoorSandbox');

  constructor(
    private readonly db: SandboxDb,
    private readonly meta: MetaRepository,
    private readonly connections: ConnectionsService,
    private readonly orders: OrdersService,
    @Inject(JOOR_SANDBOX_CONFIG) private readonly config: JoorSandboxConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.db.tx(async (on) => {
      await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('joor_sandbox.schema'))`, [], on);
      await this.db.query(JOOR_SANDBOX_DDL, [], on);
    });
    if (!(await this.meta.account())) {
      const summary = await this.seed({ styles: this.config.seedStyles, seed: this.config.seed });
      this.logger.log(`seeded JOOR account ${summary.accountId}: ${summary.connections} connections, ${summary.orders} orders`);
    }
  }

  /** Replaces the account's state with the seeded brand's JOOR side; the catalog starts empty (the integration fills it). */
  async seed(options: SeedOptions): Promise<SeedSummary> {
    const brand = generateBrand(options);
    const joor = brand.joor;
    await this.db.tx(async (on) => {
      await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('joor_sandbox.seed'))`, [], on);
      await this.db.query(`TRUNCATE ${SEEDED_TABLES.map((table) => `joor_sandbox.${table}`).join(', ')} RESTART IDENTITY CASCADE`, [], on);
      await this.db.query(
        `INSERT INTO joor_sandbox.price_types SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, currency_code text, retail_currency_code text)`,
        [JSON.stringify(joor.priceTypes)],
        on,
      );
      await this.db.query(`INSERT INTO joor_sandbox.seasons SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, name text, code text)`, [JSON.stringify(joor.seasons)], on);
      await this.db.query(`INSERT INTO joor_sandbox.warehouses SELECT unnest($1::text[])`, [joor.warehouses], on);
      // Tokens of another account (an earlier seed) grant nothing any more: their holders get a 401 and sign in again.
      await this.db.query('DELETE FROM joor_sandbox.tokens WHERE account_id <> $1', [joor.accountId], on);
      await this.meta.set('account_id', joor.accountId, on);
      await this.meta.set('seed', { ...brand.options, orderStartDate: joor.orderStartDate }, on);
    });
    await this.connections.insertConnected(joor.connections);
    await this.orders.insert(joor.orders);
    return {
      accountId: joor.accountId,
      options: brand.options,
      priceTypes: joor.priceTypes.length,
      seasons: joor.seasons.length,
      warehouses: joor.warehouses,
      connections: joor.connections.length,
      orders: joor.orders.length,
    };
  }

  async counts(): Promise<Record<string, number>> {
    const tables = ['products', 'skus', 'prices', 'collections', 'assets', 'inventory', 'connections', 'orders'];
    const rows = await this.db.query<{ name: string; n: number }>(tables.map((t) => `SELECT '${t}' AS name, count(*)::int AS n FROM joor_sandbox.${t}`).join(' UNION ALL '));
    return Object.fromEntries(rows.map((row) => [row.name, row.n]));
  }
}
