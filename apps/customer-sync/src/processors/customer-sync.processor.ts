import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@app/contracts';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';

@Processor(QUEUES.customer, { autorun: false })
export class CustomerSyncProcessor extends ContractProcessor<typeof QUEUES.customer> {
  readonly queueName = QUEUES.customer;
  protected readonly handlers: JobHandlers<typeof QUEUES.customer> = {
    'mesh.canary': handleCanary,
  };
}
