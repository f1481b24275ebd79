export const SERVICE_PORTS = {
  gateway: 3000,
  'catalog-sync': 3001,
  'media-sync': 3002,
  'inventory-sync': 3003,
  'customer-sync': 3004,
  'order-ingest': 3005,
  'amc-sandbox': 4001,
  'joor-sandbox': 4002,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;

export const MESH_SERVICES: readonly ServiceName[] = ['gateway', 'catalog-sync', 'media-sync', 'inventory-sync', 'customer-sync', 'order-ingest'];
