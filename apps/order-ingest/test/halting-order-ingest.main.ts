import { runService } from '@app/common';
import { loadOrderIngestConfig } from '../src/order-ingest.config';
import { OrderIngestModule } from '../src/order-ingest.module';
import { INGEST_POINTS, type IngestHooks, type IngestPoint } from '../src/orders/ingest-hooks';

/**
 * order-ingest as its main.ts starts it, with the one thing only tests install: ingest hooks that
 * stop the process at ORDER_INGEST_HALT_AT (logging `ORDER_INGEST_HALTED at <point> order <id>`,
 * holding its locks and connections as they are) so a test can SIGKILL it exactly there. Built by
 * `npm run build:test-mains` into dist-test/, never into the product's dist/.
 */
const point = process.env.ORDER_INGEST_HALT_AT as IngestPoint | undefined;
if (!point || !INGEST_POINTS.includes(point)) throw new Error(`ORDER_INGEST_HALT_AT must be one of ${INGEST_POINTS.join(', ')}`);

const halting: IngestHooks = {
  async reached(at, joorOrderId) {
    if (at !== point) return;
    process.stdout.write(`ORDER_INGEST_HALTED at ${at} order ${joorOrderId}\n`);
    await new Promise<never>(() => undefined);
  },
};

void runService({ service: 'order-ingest', module: (config) => OrderIngestModule.register(config, loadOrderIngestConfig(), halting) });
