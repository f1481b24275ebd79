import { ConnectionEntity } from './connection.entity';
import { CustomerStateEntity } from './customer-state.entity';
import { EntityLinkEntity } from './entity-link.entity';
import { OrderLedgerEntity } from './order-ledger.entity';
import { SyncCursorEntity } from './sync-cursor.entity';
import { SyncEventEntity } from './sync-event.entity';
import { SyncRunEntity } from './sync-run.entity';

export * from './connection.entity';
export * from './customer-state.entity';
export * from './entity-link.entity';
export * from './order-ledger.entity';
export * from './sync-cursor.entity';
export * from './sync-event.entity';
export * from './sync-run.entity';

export const ENTITIES = [ConnectionEntity, SyncRunEntity, SyncEventEntity, EntityLinkEntity, SyncCursorEntity, OrderLedgerEntity, CustomerStateEntity];
