import { Processor } from '@nestjs/bullmq';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';
import { QUEUES } from '@app/contracts';
import { InventorySyncService } from '../inventory/inventory-sync.service';

@Processor(QUEUES.inventory, { autorun: false })
export class InventorySyncProcessor extends ContractProcessor<typeof QUEUES.inventory> {
  readonly queueName = QUEUES.inventory;
  protected readonly handlers: JobHandlers<typeof QUEUES.inventory>;

  constructor(inventory: InventorySyncService) {
    super();
    this.handlers = {
      'mesh.canary': handleCanary,
      'inventory.sync': (job) => inventory.handle(job),
    };
  }
}
