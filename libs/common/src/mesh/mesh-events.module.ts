import { Global, Module } from '@nestjs/common';
import { MeshEventBus, MeshEvents } from './mesh-events.service';

/**
 * The mesh's events (libs/contracts/src/mesh-events.ts) over @nestjs/microservices' Redis
 * transport: `MeshEvents` sends, `MeshEventBus` hears. Redis pub/sub is for news only; BullMQ keeps
 * every piece of durable work. Needs AppConfigModule (REDIS_URL, QUEUE_PREFIX).
 */
@Global()
@Module({
  providers: [MeshEvents, MeshEventBus],
  exports: [MeshEvents, MeshEventBus],
})
export class MeshEventsModule {}
