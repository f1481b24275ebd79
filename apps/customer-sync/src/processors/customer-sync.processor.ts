import { Processor } from '@nestjs/bullmq';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';
import { QUEUES } from '@app/contracts';
import { CustomerSyncService } from '../customers/customer-sync.service';

@Processor(QUEUES.customer, { autorun: false })
export class CustomerSyncProcessor extends ContractProcessor<typeof QUEUES.customer> {
  readonly queueName = QUEUES.customer;
  protected readonly handlers: JobHandlers<typeof QUEUES.customer>;

  constructor(customers: CustomerSyncService) {
    super();
    this.handlers = {
      'mesh.canary': handleCanary,
      'customer.sync': (job) => customers.handle(job),
    };
  }
}
