import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretCipher } from './crypto/secret-cipher';
import { buildDataSourceOptions } from './data-source-options';
import { ENTITIES } from './entities';
import { ConnectionRepository, SECRET_CIPHER } from './repositories/connection.repository';
import { SyncRunRepository } from './repositories/sync-run.repository';

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
      providers: [{ provide: SECRET_CIPHER, useValue: new SecretCipher(options.secretsKey) }, ConnectionRepository, SyncRunRepository],
      exports: [TypeOrmModule, SECRET_CIPHER, ConnectionRepository, SyncRunRepository],
    };
  }
}
