import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository, type FindOptionsWhere } from 'typeorm';
import { OrderLedgerEntity, type OrderLedgerState } from '../entities/order-ledger.entity';

export interface LedgerFilter {
  state?: OrderLedgerState;
  limit: number;
  offset: number;
}

/** Reasons are for people; keep them readable and bounded. */
const MAX_ERROR = 2_000;

/**
 * The order ledger: one row per connection and JOOR order (unique), the record of how far each
 * order got on its way into AMC. Only order-ingest writes it; the gateway reads it.
 */
@Injectable()
export class OrderLedgerRepository {
  constructor(@InjectRepository(OrderLedgerEntity) private readonly repo: Repository<OrderLedgerEntity>) {}

  /** The rows of these orders, creating a `pending` row for each order seen for the first time. */
  async ensure(connectionId: string, orders: Array<{ joorOrderId: string; joorModifiedAt: Date | null }>): Promise<Map<string, OrderLedgerEntity>> {
    if (orders.length === 0) return new Map();
    await this.repo
      .createQueryBuilder()
      .insert()
      .values(orders.map((o) => ({ connectionId, joorOrderId: o.joorOrderId, state: 'pending' as const, joorModifiedAt: o.joorModifiedAt })))
      .orIgnore()
      .execute();
    const rows = await this.repo.findBy({ connectionId, joorOrderId: In(orders.map((o) => o.joorOrderId)) });
    return new Map(rows.map((row) => [row.joorOrderId, row]));
  }

  findOne(connectionId: string, joorOrderId: string): Promise<OrderLedgerEntity | null> {
    return this.repo.findOneBy({ connectionId, joorOrderId });
  }

  async list(connectionId: string, filter: LedgerFilter): Promise<{ items: OrderLedgerEntity[]; total: number }> {
    const where: FindOptionsWhere<OrderLedgerEntity> = { connectionId };
    if (filter.state) where.state = filter.state;
    const [items, total] = await this.repo.findAndCount({ where, order: { id: 'DESC' }, take: filter.limit, skip: filter.offset });
    return { items, total };
  }

  /** A create is about to be tried (counted before the call, so a crash inside it still counts). */
  async startAttempt(id: string): Promise<void> {
    await this.repo.increment({ id }, 'attempts', 1);
  }

  /** In AMC now; JOOR's Success is still to be written (`exportedAt` null until it is). */
  async markCreated(id: string, amcOrderId: string, joorModifiedAt: Date | null): Promise<void> {
    await this.repo.update({ id }, { state: 'created', amcOrderId, lastError: null, joorModifiedAt, exportedAt: null });
  }

  /**
   * Cannot be created. A new reason clears `exportedAt`, so JOOR is told the new reason; the same
   * reason again keeps it, so a poll does not rewrite an unchanged Failed status.
   */
  async markFailed(row: OrderLedgerEntity, reason: string, joorModifiedAt: Date | null): Promise<void> {
    const lastError = reason.slice(0, MAX_ERROR);
    const exportedAt = row.state === 'failed' && row.lastError === lastError ? row.exportedAt : null;
    await this.repo.update({ id: row.id }, { state: 'failed', lastError, joorModifiedAt, exportedAt });
  }

  /** Dated before the connection's start date: remembered, so later polls skip it at once. */
  async markIgnored(ids: string[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    await this.repo.update({ id: In(ids) }, { state: 'ignored', lastError: reason.slice(0, MAX_ERROR) });
  }

  /** A transient failure: the state stays as it was (never `failed`), the reason is kept for people. */
  async noteTransient(id: string, reason: string): Promise<void> {
    await this.repo.update({ id }, { lastError: reason.slice(0, MAX_ERROR) });
  }

  async setJoorModifiedAt(id: string, joorModifiedAt: Date | null): Promise<void> {
    await this.repo.update({ id }, { joorModifiedAt });
  }

  /** JOOR now shows these orders' state (Success for created ones, Failed with the reason for failed ones). */
  async markExported(connectionId: string, joorOrderIds: string[], at: Date): Promise<void> {
    if (joorOrderIds.length === 0) return;
    await this.repo.update({ connectionId, joorOrderId: In(joorOrderIds) }, { exportedAt: at });
  }

  /** Orders in AMC whose Success has not been confirmed on JOOR yet (a crash between the two). */
  unexported(connectionId: string, limit: number): Promise<OrderLedgerEntity[]> {
    return this.repo.find({ where: { connectionId, state: 'created', exportedAt: IsNull() }, order: { id: 'ASC' }, take: limit });
  }

  async countByState(connectionId: string): Promise<Record<OrderLedgerState, number>> {
    const rows: Array<{ state: OrderLedgerState; count: string }> = await this.repo
      .createQueryBuilder('l')
      .select('l.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .where('l.connection_id = :connectionId', { connectionId })
      .groupBy('l.state')
      .getRawMany();
    const counts: Record<OrderLedgerState, number> = { pending: 0, created: 0, failed: 0, ignored: 0 };
    for (const row of rows) counts[row.state] = Number(row.count);
    return counts;
  }
}
