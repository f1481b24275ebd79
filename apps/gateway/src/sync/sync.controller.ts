import { BadRequestException, Body, ConflictException, Controller, HttpCode, HttpException, HttpStatus, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotImplementedResponse, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SYNC_KINDS, isAvailableSyncKind, withDefaultSettings, type SyncTriggerAccepted } from '@app/contracts';
import { ConnectionRepository } from '@app/persistence';
import { SyncTriggers } from './sync-triggers.service';
import { SyncTriggerDto } from './sync-trigger.dto';

@ApiTags('sync')
@ApiSecurity('api-key')
@Controller('connections/:id/sync')
export class SyncController {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly triggers: SyncTriggers,
  ) {}

  /** Queues a run now; 202 with its id, to follow at `GET /runs/{runId}`. */
  @Post(':kind')
  @HttpCode(202)
  @ApiParam({ name: 'kind', enum: SYNC_KINDS })
  @ApiAcceptedResponse({ description: '`{ runId }`' })
  @ApiNotImplementedResponse({ description: 'a sync kind that has not been built yet' })
  @ApiConflictResponse({ description: 'images while the connection has syncImages off' })
  async trigger(@Param('id', ParseUUIDPipe) id: string, @Param('kind') kind: string, @Body() body: SyncTriggerDto): Promise<SyncTriggerAccepted> {
    if (!(SYNC_KINDS as readonly string[]).includes(kind)) throw new BadRequestException(`kind must be one of ${SYNC_KINDS.join(', ')}`);
    if (!isAvailableSyncKind(kind)) throw new HttpException(`the ${kind} sync is not available yet`, HttpStatus.NOT_IMPLEMENTED);
    const scoped = kind === 'styles' || kind === 'inventory' || kind === 'images';
    if ((!scoped && body.styleNumbers !== undefined) || (!scoped && kind !== 'customers' && body.full !== undefined)) {
      throw new BadRequestException('full and styleNumbers apply to the styles, images and inventory syncs only (full also to customers)');
    }
    if (kind !== 'customers' && body.codes !== undefined) throw new BadRequestException('codes apply to the customers sync only');
    const connection = await this.connections.findById(id);
    if (!connection) throw new NotFoundException(`no connection ${id}`);
    if (kind === 'images' && !withDefaultSettings(connection.settings).syncImages) {
      throw new ConflictException('images are off for this connection (syncImages is false): nothing would be sent; turn syncImages on to sync images');
    }
    return { runId: await this.triggers.queue(id, kind, body) };
  }
}
