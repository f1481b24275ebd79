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
  divisionId: string | null;
  creditStatus: string | null;
  syncImages: boolean;
  syncColorwaysAsProducts: boolean;
  /** AMC's default currency (the MSRP's currency), e.g. USD. */
  defaultCurrency: string | null;
}

export const DEFAULT_CONNECTION_SETTINGS: ConnectionSettings = {
  stockField: 'qty_avail_sell',
  amcWarehouseId: null,
  joorWarehouseName: null,
  orderType: 'approved',
  orderStartDate: null,
  orderPollMinutes: 15,
  divisionId: null,
  creditStatus: null,
  syncImages: true,
  syncColorwaysAsProducts: false,
  defaultCurrency: null,
};

export function withDefaultSettings(partial: Partial<ConnectionSettings> | undefined): ConnectionSettings {
  return { ...DEFAULT_CONNECTION_SETTINGS, ...(partial ?? {}) };
}
