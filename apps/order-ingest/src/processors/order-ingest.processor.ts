import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@app/contracts';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';

@Processor(QUEUES.order, { autorun: false })
export class OrderIngestProcessor extends ContractProcessor<typeof QUEUES.order> {
  readonly queueName = QUEUES.order;
  protected readonly handlers: JobHandlers<typeof QUEUES.order> = {
    'mesh.canary': handleCanary,
  };
}
