import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { withDefaultSettings, type ConnectionSettings } from '@app/contracts';
import { SecretCipher } from '../crypto/secret-cipher';
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
