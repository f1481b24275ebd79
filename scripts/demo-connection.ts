import { generateBrand } from '@app/sandbox-seed';

/** The brand both sandboxes are seeded with in `npm start`, and the connection that points at them. */
export interface DemoOptions {
  styles: number;
  seed: number;
  amcUrl: string;
  joorUrl: string;
  amcToken: string;
  joor: { clientId: string; clientSecret: string; username: string; password: string; v2Token: string };
}

export const DEMO_CONNECTION_NAME = 'Demo brand (sandboxes)';

/** The body of `POST /connections` for the demo brand; settings come from the seeded brand's own set-up. */
export function demoConnectionBody(options: DemoOptions): Record<string, unknown> {
  const brand = generateBrand({ styles: options.styles, seed: options.seed });
  const { settings } = brand.amc;
  return {
    name: DEMO_CONNECTION_NAME,
    amc: { baseUrl: `${options.amcUrl}/api/json`, token: options.amcToken },
    joor: {
      v2BaseUrl: `${options.joorUrl}/v2`,
      v4BaseUrl: `${options.joorUrl}/v4`,
      authUrl: `${options.joorUrl}/auth/`,
      accountId: brand.joor.accountId,
      ...options.joor,
    },
    settings: {
      defaultCurrency: settings.defaultCurrency,
      amcWarehouseId: settings.amcWarehouseId,
      joorWarehouseName: settings.joorWarehouseName,
      divisionId: settings.divisionId,
      orderStartDate: brand.joor.orderStartDate,
      orderType: 'approved_and_shipped',
      // Every minute, so a customer JOOR matches while the demo runs shows active soon after.
      customerSyncMinutes: 1,
    },
  };
}
