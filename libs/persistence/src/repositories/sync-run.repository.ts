import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository, type FindOptionsWhere } from 'typeorm';
import type { RunStatus, SyncKind } from '@app/contracts';
import { SyncEventEntity } from '../entities/sync-event.entity';
import { SyncRunEntity } from '../entities/sync-run.entity';

export interface RunFilter {
  kind?: SyncKind;
  status?: RunStatus;
  limit: number;
  offset: number;
}

@Injectable()
export class SyncRunRepository {
  constructor(
    @InjectRepository(SyncRunEntity) private readonly runs: Repository<SyncRunEntity>,
    @InjectRepository(SyncEventEntity) private readonly events: Repository<SyncEventEntity>,
  ) {}

  async listForConnection(connectionId: string, filter: RunFilter): Promise<{ items: SyncRunEntity[]; total: number }> {
    const where: FindOptionsWhere<SyncRunEntity> = { connectionId };
    if (filter.kind) where.kind = filter.kind;
    if (filter.status) where.status = filter.status;
    const [items, total] = await this.runs.findAndCount({ where, order: { queuedAt: 'DESC' }, take: filter.limit, skip: filter.offset });
    return { items, total };
  }

  findById(id: string): Promise<SyncRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  /** Keyset paging: events after the given id, oldest first. */
  listEvents(runId: string, after: string | undefined, limit: number): Promise<SyncEventEntity[]> {
    const where: FindOptionsWhere<SyncEventEntity> = { runId };
    if (after) where.id = MoreThan(after);
    return this.events.find({ where, order: { id: 'ASC' }, take: limit });
  }
}
