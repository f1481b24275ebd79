import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@app/contracts';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';

@Processor(QUEUES.catalog, { autorun: false })
export class CatalogSyncProcessor extends ContractProcessor<typeof QUEUES.catalog> {
  readonly queueName = QUEUES.catalog;
  protected readonly handlers: JobHandlers<typeof QUEUES.catalog> = {
    'mesh.canary': handleCanary,
  };
}
