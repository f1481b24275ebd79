import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@app/contracts';
import { ContractProcessor, handleCanary, type JobHandlers } from '@app/common';
import { MediaSyncService } from '../media/media-sync.service';

@Processor(QUEUES.media, { autorun: false })
export class MediaSyncProcessor extends ContractProcessor<typeof QUEUES.media> {
  readonly queueName = QUEUES.media;
  protected readonly handlers: JobHandlers<typeof QUEUES.media>;

  constructor(media: MediaSyncService) {
    super();
    this.handlers = {
      'mesh.canary': handleCanary,
      'media.sync': (job) => media.handle(job),
    };
  }
}
