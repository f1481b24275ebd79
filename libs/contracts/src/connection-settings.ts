/** The brand-facing settings of one AMC/JOOR connection, mirroring the AMC JOOR plugin. */
export const STOCK_FIELDS = ['qty_avail_sell', 'qty_inventory', 'qty_avail_alloc', 'qty_open_sales'] as const;
export type StockField = (typeof STOCK_FIELDS)[number];

export const ORDER_TYPES = ['approved', 'shipped', 'approved_and_shipped'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export interface ConnectionSettings {
  /** The AMC quantity sent to JOOR as stock. */
  stockField: StockField;
  /** The one AMC warehouse whose stock goes to JOOR (null: company-wide totals). */
  amcWarehouseId: string | null;
  /** The JOOR warehouse receiving it; must exist on JOOR. */
  joorWarehouseName: string | null;
  orderType: OrderType;
  /** Orders dated before this day (YYYY-MM-DD) are ignored. */
  orderStartDate: string | null;
  orderPollMinutes: number;
  /** How often the catalog delta runs by itself. */
  catalogSyncMinutes: number;
  /** How often AMC's stock changes are read and sent to JOOR (AMC has no webhooks). */
  inventoryPollSeconds: number;
  /** How often the AMC customers changed since the last run are sent to JOOR (each run also looks up a few pending customers). */
  customerSyncMinutes: number;
  divisionId: string | null;
  creditStatus: string | null;
  syncImages: boolean;
  syncColorwaysAsProducts: boolean;
  /** The plugin's "Default Currency Name": the MSRP's currency, e.g. USD (null: AMC's base currency). */
  defaultCurrency: string | null;
  /** JOOR's Color trait, by id or name (null: found by the ids and names JOOR is known to use). */
  joorColorTrait: string | null;
  /** JOOR's Size trait, by id or name (null: found). */
  joorSizeTrait: string | null;
}

export const DEFAULT_CONNECTION_SETTINGS: ConnectionSettings = {
  stockField: 'qty_avail_sell',
  amcWarehouseId: null,
  joorWarehouseName: null,
  orderType: 'approved',
  orderStartDate: null,
  orderPollMinutes: 15,
  catalogSyncMinutes: 10,
  inventoryPollSeconds: 60,
  customerSyncMinutes: 60,
  divisionId: null,
  creditStatus: null,
  syncImages: true,
  syncColorwaysAsProducts: false,
  defaultCurrency: null,
  joorColorTrait: null,
  joorSizeTrait: null,
};

/** The defaults overlaid with what was given; `undefined` means "not given", `null` clears. */
export function withDefaultSettings(partial: Partial<ConnectionSettings> | undefined): ConnectionSettings {
  const given = Object.fromEntries(Object.entries(partial ?? {}).filter(([key, value]) => value !== undefined && key in DEFAULT_CONNECTION_SETTINGS));
  return { ...DEFAULT_CONNECTION_SETTINGS, ...given };
}
