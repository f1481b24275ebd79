import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@app/contracts';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';

@Processor(QUEUES.inventory, { autorun: false })
export class InventorySyncProcessor extends ContractProcessor<typeof QUEUES.inventory> {
  readonly queueName = QUEUES.inventory;
  protected readonly handlers: JobHandlers<typeof QUEUES.inventory> = {
    'mesh.canary': handleCanary,
  };
}
