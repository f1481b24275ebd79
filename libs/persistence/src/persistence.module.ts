import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretCipher } from '@app/util';
import { buildDataSourceOptions } from './data-source-options';
import { ENTITIES } from './entities';
import { AdvisoryLocks } from './repositories/advisory-locks';
import { ConnectionRepository, SECRET_CIPHER } from './repositories/connection.repository';
import { CustomerStateRepository } from './repositories/customer-state.repository';
import { EntityLinkRepository } from './repositories/entity-link.repository';
import { OrderLedgerRepository } from './repositories/order-ledger.repository';
import { SyncCursorRepository } from './repositories/sync-cursor.repository';
import { SyncDueRepository } from './repositories/sync-due.repository';
import { SyncRunRepository } from './repositories/sync-run.repository';

/** Every repository, provided and exported by the module (apps never provide one themselves). */
const REPOSITORIES = [ConnectionRepository, SyncRunRepository, EntityLinkRepository, SyncCursorRepository, SyncDueRepository, OrderLedgerRepository, CustomerStateRepository, AdvisoryLocks];

export interface PersistenceOptions {
  databaseUrl: string;
  applicationName: string;
  secretsKey: Buffer;
}

@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(options.databaseUrl, { applicationName: options.applicationName }),
          // A database that is briefly away must not crash-loop the service: retry, then fail the boot.
          retryAttempts: 5,
          retryDelay: 1_000,
        }),
        TypeOrmModule.forFeature(ENTITIES),
      ],
      providers: [{ provide: SECRET_CIPHER, useValue: new SecretCipher(options.secretsKey) }, ...REPOSITORIES],
      exports: [TypeOrmModule, SECRET_CIPHER, ...REPOSITORIES],
    };
  }
}
