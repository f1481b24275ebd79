import type { JoorCollectionPayload } from './catalog.types';
import { payloadHash } from './payload-hash';

/** The JOOR external id of the linesheet the integration keeps for an AMC season. */
export function seasonCollectionExternalId(season: string): string {
  return `amc-season-${season}`.slice(0, 100);
}

export interface SeasonCollection {
  season: string;
  payload: JoorCollectionPayload;
  hash: string;
}

/**
 * The linesheet of one AMC season: named after JOOR's season of the same code (else the AMC
 * code), holding the season's synced products in AMC order. SKUs are not listed: a product's
 * whole (active) SKU set is on the linesheet, so a SKU change never rewrites the linesheet.
 */
export function mapSeasonCollection(season: string, joorProductIds: string[], joorSeason?: { id: string; name: string }): SeasonCollection {
  const payload: JoorCollectionPayload = {
    name: (joorSeason?.name || season).slice(0, 100),
    external_id: seasonCollectionExternalId(season),
    ...(joorSeason ? { season_id: joorSeason.id } : {}),
    items: joorProductIds.map((id, i) => ({ product_id: id, order_number: i + 1 })),
  };
  return { season, payload, hash: payloadHash(payload) };
}
