import { InitialSchema1764230400000 } from './1764230400000-initial-schema';
import { EntityLinkParent1764300000000 } from './1764300000000-entity-link-parent';
import { SyncDueAndIgnoredOrders1764500000000 } from './1764500000000-sync-due-and-ignored-orders';
import { RunCancelledAndConnectionPause1764600000000 } from './1764600000000-run-cancelled-and-connection-pause';
import { EntityLinkMeta1764700000000 } from './1764700000000-entity-link-meta';
import { CustomerState1764810000000 } from './1764810000000-customer-state';

/** Every migration, oldest first. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [
  InitialSchema1764230400000,
  EntityLinkParent1764300000000,
  SyncDueAndIgnoredOrders1764500000000,
  RunCancelledAndConnectionPause1764600000000,
  EntityLinkMeta1764700000000,
  CustomerState1764810000000,
];
