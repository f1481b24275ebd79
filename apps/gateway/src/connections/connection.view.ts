import type { ConnectionSettings } from '@app/contracts';
import type { ConnectionEntity } from '@app/persistence';

/** A connection as the API shows it: every secret left out. */
export interface ConnectionView {
  id: string;
  name: string;
  amc: { baseUrl: string };
  joor: { v2BaseUrl: string; v4BaseUrl: string; authUrl: string; accountId: string; clientId: string; username: string };
  settings: ConnectionSettings;
  /** When it was paused (its schedules stopped, its jobs waiting); null: it runs. */
  pausedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toConnectionView(entity: ConnectionEntity): ConnectionView {
  return {
    id: entity.id,
    name: entity.name,
    amc: { baseUrl: entity.amcBaseUrl },
    joor: {
      v2BaseUrl: entity.joorV2BaseUrl,
      v4BaseUrl: entity.joorV4BaseUrl,
      authUrl: entity.joorAuthUrl,
      accountId: entity.joorAccountId,
      clientId: entity.joorClientId,
      username: entity.joorUsername,
    },
    settings: entity.settings,
    pausedAt: entity.pausedAt?.toISOString() ?? null,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
