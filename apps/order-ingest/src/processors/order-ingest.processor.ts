import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@app/contracts';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';
import { OrderPollService } from '../orders/order-poll.service';

@Processor(QUEUES.order, { autorun: false })
export class OrderIngestProcessor extends ContractProcessor<typeof QUEUES.order> {
  readonly queueName = QUEUES.order;
  protected readonly handlers: JobHandlers<typeof QUEUES.order>;

  constructor(polls: OrderPollService) {
    super();
    this.handlers = {
      'mesh.canary': handleCanary,
      'orders.poll': (job) => polls.handle(job),
    };
  }
}
