import type { ConnectionEntity, ConnectionRepository } from '@app/persistence';

/** A connection row whose hosts nothing answers at: for tests of run records, which only need its id. */
export function createPlaceholderConnection(connections: ConnectionRepository, name: string): Promise<ConnectionEntity> {
  return connections.create(
    {
      name,
      amcBaseUrl: 'http://127.0.0.1:9/api/json',
      joorV2BaseUrl: 'http://127.0.0.1:9/v2',
      joorV4BaseUrl: 'http://127.0.0.1:9/v4',
      joorAuthUrl: 'http://127.0.0.1:9/auth/',
      joorAccountId: '1',
      joorClientId: 'c',
      joorUsername: 'u',
    },
    { amcToken: 'a', joorClientSecret: 'b', joorPassword: 'c', joorV2Token: 'd' },
    {},
  );
}
