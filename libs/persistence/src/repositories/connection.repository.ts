import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { withDefaultSettings, type ConnectionSettings } from '@app/contracts';
import { SecretCipher } from '@app/util';
import { ConnectionEntity, type ConnectionSecrets } from '../entities/connection.entity';

export const SECRET_CIPHER = Symbol('SECRET_CIPHER');

export interface ConnectionFields {
  name: string;
  amcBaseUrl: string;
  joorV2BaseUrl: string;
  joorV4BaseUrl: string;
  joorAuthUrl: string;
  joorAccountId: string;
  joorClientId: string;
  joorUsername: string;
}

export interface ConnectionPatch {
  fields?: Partial<ConnectionFields>;
  secrets?: Partial<ConnectionSecrets>;
  settings?: Partial<ConnectionSettings>;
}

/** A connection with its secrets decrypted: for the sync services' clients, never for an API answer. */
export interface ConnectionWithSecrets {
  connection: ConnectionEntity;
  secrets: ConnectionSecrets;
}

/** Whether a connection's jobs may run now. */
export type ConnectionRunState = 'active' | 'paused' | 'deleted';

export class DuplicateConnectionNameError extends Error {
  constructor(name: string) {
    super(`a connection named "${name}" already exists`);
  }
}

/** The only code that reads or writes connection secrets; they leave it encrypted or as ConnectionWithSecrets. */
@Injectable()
export class ConnectionRepository {
  constructor(
    @InjectRepository(ConnectionEntity) private readonly repo: Repository<ConnectionEntity>,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
  ) {}

  async create(fields: ConnectionFields, secrets: ConnectionSecrets, settings?: Partial<ConnectionSettings>): Promise<ConnectionEntity> {
    const entity = this.repo.create({ ...fields, secretsEnc: this.cipher.encryptJson(secrets), settings: withDefaultSettings(settings) });
    return this.save(entity);
  }

  list(): Promise<ConnectionEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<ConnectionEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<ConnectionEntity | null> {
    return this.repo.findOneBy({ name });
  }

  async findWithSecrets(id: string): Promise<ConnectionWithSecrets | null> {
    const connection = await this.findById(id);
    if (!connection) return null;
    return { connection, secrets: this.cipher.decryptJson<ConnectionSecrets>(connection.secretsEnc) };
  }

  async update(id: string, patch: ConnectionPatch): Promise<ConnectionEntity | null> {
    const entity = await this.findById(id);
    if (!entity) return null;
    Object.assign(entity, stripUndefined(patch.fields ?? {}));
    const secretChanges = stripUndefined(patch.secrets ?? {});
    if (Object.keys(secretChanges).length > 0) {
      const current = this.cipher.decryptJson<ConnectionSecrets>(entity.secretsEnc);
      entity.secretsEnc = this.cipher.encryptJson({ ...current, ...secretChanges });
    }
    if (patch.settings) entity.settings = { ...entity.settings, ...stripUndefined(patch.settings) };
    return this.save(entity);
  }

  /** Pauses the connection (a second pause keeps the first one's time); null when there is no such connection. */
  async pause(id: string): Promise<ConnectionEntity | null> {
    await this.repo.query(`UPDATE connection SET paused_at = COALESCE(paused_at, now()) WHERE id = $1`, [id]);
    return this.findById(id);
  }

  /** Lifts a pause; answers the connection and when it had been paused (null: it was not), or null when there is no such connection. */
  async resume(id: string): Promise<{ connection: ConnectionEntity; wasPausedAt: Date | null } | null> {
    // TypeORM answers an UPDATE as [rows returned, rows affected].
    const [returned]: [Array<{ paused_at: Date | null }>, number] = await this.repo.query(
      `UPDATE connection c SET paused_at = NULL FROM (SELECT id, paused_at FROM connection WHERE id = $1 FOR UPDATE) old WHERE c.id = old.id RETURNING old.paused_at`,
      [id],
    );
    if (returned.length === 0) return null;
    const connection = await this.findById(id);
    return connection ? { connection, wasPausedAt: returned[0].paused_at } : null;
  }

  /**
   * Whether each connection may run: `paused`, `deleted` (no such row) or `active`. One query for
   * any number of connections (the sync services ask at every batch boundary of their runs).
   */
  async runStates(ids: string[]): Promise<Map<string, ConnectionRunState>> {
    const out = new Map<string, ConnectionRunState>(ids.map((id) => [id, 'deleted']));
    if (ids.length === 0) return out;
    const rows: Array<{ id: string; paused: boolean }> = await this.repo.query(`SELECT id, paused_at IS NOT NULL AS paused FROM connection WHERE id = ANY($1::uuid[])`, [ids]);
    for (const row of rows) out.set(row.id, row.paused ? 'paused' : 'active');
    return out;
  }

  /** Every connection's JOOR account (whose credit budget its calls take from), for the budget's metrics. */
  async joorAccounts(): Promise<Array<{ connectionId: string; joorAccountId: string }>> {
    const rows: Array<{ id: string; joor_account_id: string }> = await this.repo.query(`SELECT id, joor_account_id FROM connection ORDER BY id`);
    return rows.map((row) => ({ connectionId: row.id, joorAccountId: row.joor_account_id }));
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  private async save(entity: ConnectionEntity): Promise<ConnectionEntity> {
    try {
      return await this.repo.save(entity);
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505') {
        throw new DuplicateConnectionNameError(entity.name);
      }
      throw err;
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
