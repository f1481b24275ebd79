import { BadRequestException, Body, Controller, HttpCode, HttpException, HttpStatus, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotImplementedResponse, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SYNC_KINDS, SYNC_KIND_JOBS, isAvailableSyncKind, jobIds, type SyncTriggerAccepted } from '@app/contracts';
import { JobProducer } from '@app/common';
import { ConnectionRepository, SyncRunRepository } from '@app/persistence';
import { SyncTriggerDto } from './sync-trigger.dto';

@ApiTags('sync')
@ApiSecurity('api-key')
@Controller('connections/:id/sync')
export class SyncController {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly runs: SyncRunRepository,
    private readonly producer: JobProducer,
  ) {}

  /** Queues a run now; 202 with its id, to follow at `GET /runs/{runId}`. */
  @Post(':kind')
  @HttpCode(202)
  @ApiParam({ name: 'kind', enum: SYNC_KINDS })
  @ApiAcceptedResponse({ description: '`{ runId }`' })
  @ApiNotImplementedResponse({ description: 'a sync kind that has not been built yet' })
  async trigger(@Param('id', ParseUUIDPipe) id: string, @Param('kind') kind: string, @Body() body: SyncTriggerDto): Promise<SyncTriggerAccepted> {
    if (!(SYNC_KINDS as readonly string[]).includes(kind)) throw new BadRequestException(`kind must be one of ${SYNC_KINDS.join(', ')}`);
    if (!isAvailableSyncKind(kind)) throw new HttpException(`the ${kind} sync is not available yet`, HttpStatus.NOT_IMPLEMENTED);
    const scoped = kind === 'styles' || kind === 'inventory';
    if ((!scoped && body.styleNumbers !== undefined) || (!scoped && kind !== 'customers' && body.full !== undefined)) {
      throw new BadRequestException('full and styleNumbers apply to the styles and inventory syncs only (full also to customers)');
    }
    if (kind !== 'customers' && body.codes !== undefined) throw new BadRequestException('codes apply to the customers sync only');
    if (!(await this.connections.findById(id))) throw new NotFoundException(`no connection ${id}`);
    const details = scoped ? { full: body.full ?? false, styleNumbers: body.styleNumbers ?? null } : kind === 'customers' ? { full: body.full ?? false, codes: body.codes ?? null } : {};
    const run = await this.runs.queue(id, kind, 'manual', details);
    const jobId = jobIds.run(run.id);
    const payload = { connectionId: id, runId: run.id, trigger: 'manual' as const };
    switch (kind) {
      case 'styles':
        await this.producer.add(SYNC_KIND_JOBS.styles.queue, SYNC_KIND_JOBS.styles.job, { ...payload, full: body.full, styleNumbers: body.styleNumbers }, { jobId });
        break;
      case 'orders':
        await this.producer.add(SYNC_KIND_JOBS.orders.queue, SYNC_KIND_JOBS.orders.job, payload, { jobId });
        break;
      case 'inventory':
        await this.producer.add(SYNC_KIND_JOBS.inventory.queue, SYNC_KIND_JOBS.inventory.job, { ...payload, full: body.full, styleNumbers: body.styleNumbers }, { jobId });
        break;
      case 'customers':
        await this.producer.add(SYNC_KIND_JOBS.customers.queue, SYNC_KIND_JOBS.customers.job, { ...payload, full: body.full, codes: body.codes }, { jobId });
        break;
      default: {
        // A kind that gains a job must be routed here: the compiler says so.
        const unrouted: never = kind;
        throw new HttpException(`the ${String(unrouted)} sync is not routed`, HttpStatus.NOT_IMPLEMENTED);
      }
    }
    await this.runs.setJobId(run.id, jobId);
    return { runId: run.id };
  }
}
