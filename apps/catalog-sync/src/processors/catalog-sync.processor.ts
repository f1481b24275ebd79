import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@app/contracts';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';
import { CatalogSyncService } from '../catalog/catalog-sync.service';

@Processor(QUEUES.catalog, { autorun: false })
export class CatalogSyncProcessor extends ContractProcessor<typeof QUEUES.catalog> {
  readonly queueName = QUEUES.catalog;
  protected readonly handlers: JobHandlers<typeof QUEUES.catalog>;

  constructor(private readonly catalog: CatalogSyncService) {
    super();
    this.handlers = {
      'mesh.canary': handleCanary,
      'catalog.sync': (job) => this.catalog.handle(job),
    };
  }
}
