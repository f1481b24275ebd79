import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { SYNC_KIND_JOBS, jobIds, type AvailableSyncKind } from '@app/contracts';
import { currentLogContext, JobProducer } from '@app/common';
import { SyncRunRepository } from '@app/persistence';

/** What a run is asked to do: `full` and `styleNumbers` (styles, images, inventory), `full` and `codes` (customers). */
export interface SyncRequest {
  full?: boolean;
  styleNumbers?: string[];
  codes?: string[];
}

/** Queues a run of a connection now (a manual trigger): its run row, then its job, named by the run. */
@Injectable()
export class SyncTriggers {
  constructor(
    private readonly runs: SyncRunRepository,
    private readonly producer: JobProducer,
  ) {}

  async queue(connectionId: string, kind: AvailableSyncKind, request: SyncRequest, extraDetails: Record<string, unknown> = {}): Promise<string> {
    const scoped = kind === 'styles' || kind === 'inventory' || kind === 'images';
    const details = scoped ? { full: request.full ?? false, styleNumbers: request.styleNumbers ?? null } : kind === 'customers' ? { full: request.full ?? false, codes: request.codes ?? null } : {};
    const { requestId } = currentLogContext();
    const run = await this.runs.queue(connectionId, kind, 'manual', { ...details, ...extraDetails, ...(requestId ? { requestId } : {}) });
    const jobId = jobIds.run(run.id);
    const payload = { connectionId, runId: run.id, trigger: 'manual' as const };
    switch (kind) {
      case 'styles':
        await this.producer.add(SYNC_KIND_JOBS.styles.queue, SYNC_KIND_JOBS.styles.job, { ...payload, full: request.full, styleNumbers: request.styleNumbers }, { jobId });
        break;
      case 'orders':
        await this.producer.add(SYNC_KIND_JOBS.orders.queue, SYNC_KIND_JOBS.orders.job, payload, { jobId });
        break;
      case 'inventory':
        await this.producer.add(SYNC_KIND_JOBS.inventory.queue, SYNC_KIND_JOBS.inventory.job, { ...payload, full: request.full, styleNumbers: request.styleNumbers }, { jobId });
        break;
      case 'images':
        await this.producer.add(SYNC_KIND_JOBS.images.queue, SYNC_KIND_JOBS.images.job, { ...payload, full: request.full, styleNumbers: request.styleNumbers }, { jobId });
        break;
      case 'customers':
        await this.producer.add(SYNC_KIND_JOBS.customers.queue, SYNC_KIND_JOBS.customers.job, { ...payload, full: request.full, codes: request.codes }, { jobId });
        break;
      default: {
        // A kind that gains a job must be routed here: the compiler says so.
        const unrouted: never = kind;
        throw new HttpException(`the ${String(unrouted)} sync is not routed`, HttpStatus.NOT_IMPLEMENTED);
      }
    }
    await this.runs.setJobId(run.id, jobId);
    return run.id;
  }
}
