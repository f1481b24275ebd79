import { ConflictException, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SYNC_KIND_JOBS, jobIds, type SyncTriggerAccepted } from '@app/contracts';
import { JobProducer } from '@app/common';
import { ConnectionRepository, SyncRunRepository } from '@app/persistence';
import { OrderLedgerRepository } from '@app/persistence';
import { ListOrdersQuery } from './dto/list-orders.query';
import { toOrderLedgerView, type OrderLedgerView } from './order-ledger.view';

const JOOR_ORDER_ID = /^\d{1,20}$/;

/** The order ledger of a connection: every JOOR order a poll has seen and how far it got into AMC. */
@ApiTags('orders')
@ApiSecurity('api-key')
@Controller('connections/:id/orders')
export class OrdersController {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly ledger: OrderLedgerRepository,
    private readonly runs: SyncRunRepository,
    private readonly producer: JobProducer,
  ) {}

  /** Newest first; `state` filters (`pending`, `created`, `failed`). */
  @Get()
  async list(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListOrdersQuery): Promise<{ items: OrderLedgerView[]; total: number }> {
    await this.connectionOr404(id);
    const { items, total } = await this.ledger.list(id, query);
    return { items: items.map(toOrderLedgerView), total };
  }

  @Get(':joorOrderId')
  @ApiParam({ name: 'joorOrderId', description: 'JOOR order id' })
  async get(@Param('id', ParseUUIDPipe) id: string, @Param('joorOrderId') joorOrderId: string): Promise<OrderLedgerView> {
    await this.connectionOr404(id);
    const row = JOOR_ORDER_ID.test(joorOrderId) ? await this.ledger.findOne(id, joorOrderId) : null;
    if (!row) throw new NotFoundException(`no JOOR order ${joorOrderId} in this connection's ledger`);
    return toOrderLedgerView(row);
  }

  /**
   * Tries one failed or pending order again now: a poll run scoped to that order (202 with the run
   * id). An order already in AMC is a 409: it is never created twice.
   */
  @Post(':joorOrderId/retry')
  @HttpCode(202)
  @ApiParam({ name: 'joorOrderId', description: 'JOOR order id' })
  @ApiAcceptedResponse({ description: '`{ runId }`' })
  @ApiConflictResponse({ description: 'the order is already in AMC' })
  async retry(@Param('id', ParseUUIDPipe) id: string, @Param('joorOrderId') joorOrderId: string): Promise<SyncTriggerAccepted> {
    await this.connectionOr404(id);
    const row = JOOR_ORDER_ID.test(joorOrderId) ? await this.ledger.findOne(id, joorOrderId) : null;
    if (!row) throw new NotFoundException(`no JOOR order ${joorOrderId} in this connection's ledger`);
    if (row.state === 'created') throw new ConflictException(`JOOR order ${joorOrderId} is already in AMC as sales order ${row.amcOrderId}`);
    // The job's payload carries the order id (the poll asks JOOR's feed for that order only); the run's
    // details keep a copy for people reading the run.
    const run = await this.runs.queue(id, 'orders', 'manual', { joorOrderId });
    const jobId = jobIds.run(run.id);
    await this.producer.add(SYNC_KIND_JOBS.orders.queue, SYNC_KIND_JOBS.orders.job, { connectionId: id, runId: run.id, trigger: 'manual', joorOrderId }, { jobId });
    await this.runs.setJobId(run.id, jobId);
    return { runId: run.id };
  }

  private async connectionOr404(id: string): Promise<void> {
    if (!(await this.connections.findById(id))) throw new NotFoundException(`no connection ${id}`);
  }
}
