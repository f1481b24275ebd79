import type { BulkResult, JoorClient } from '@app/joor-client';
import { mapSeasonCollection, type SeasonCollection } from '@app/mapping';
import type { EntityLinkRepository, RunEventInput } from '@app/persistence';
import { LINK } from './catalog-writer';

/**
 * One linesheet per AMC season with the season's synced products, rebuilt from the product links
 * after the styles (no JOOR reads). Only linesheets this integration made (its links) are ever
 * written; hand-made ones are never read or touched. A season that empties keeps its linesheet, empty.
 * A linesheet JOOR refused keeps its old hash, so the next run tries it again.
 */
export class LinesheetWriter {
  constructor(
    private readonly connectionId: string,
    private readonly joor: JoorClient,
    private readonly links: EntityLinkRepository,
    private readonly event: (event: RunEventInput) => void,
  ) {}

  async sync(seasons: Array<{ id: string; name: string; code: string | null }>): Promise<void> {
    const members = await this.links.listWithParent(this.connectionId, LINK.product);
    const bySeason = new Map<string, string[]>();
    for (const link of members) bySeason.set(link.parentKey!, [...(bySeason.get(link.parentKey!) ?? []), link.joorId!]);
    const existing = await this.links.listWithParent(this.connectionId, LINK.collection);
    for (const link of existing) if (!bySeason.has(link.amcId)) bySeason.set(link.amcId, []);
    const links = new Map(existing.map((l) => [l.amcId, l]));
    const joorSeasons = new Map(seasons.filter((s) => s.code).map((s) => [s.code!.toLowerCase(), s]));
    const creates: SeasonCollection[] = [];
    const updates: Array<SeasonCollection & { id: string }> = [];
    for (const [season, productIds] of [...bySeason.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const mapped = mapSeasonCollection(season, productIds, joorSeasons.get(season.toLowerCase()));
      const link = links.get(season);
      if (!link?.joorId) {
        if (productIds.length) creates.push(mapped);
      } else if (link.payloadHash !== mapped.hash) updates.push({ ...mapped, id: link.joorId });
    }
    if (creates.length) updates.push(...(await this.record(creates, await this.joor.createCollections(creates.map((c) => c.payload)), 'create')));
    if (updates.length) await this.record(updates, await this.joor.updateCollections(updates.map((u) => ({ ...u.payload, id: u.id }))), 'update');
  }

  /** Links what JOOR took; answers the creates JOOR already had (DUPLICATED), to be updated. */
  private async record<T extends SeasonCollection>(items: T[], result: BulkResult<unknown, { id: string }>, verb: string): Promise<Array<T & { id: string }>> {
    await this.links.upsert(
      this.connectionId,
      LINK.collection,
      result.ok.map((ok) => ({ amcId: items[ok.index].season, joorId: ok.id, payloadHash: ok.duplicated ? null : items[ok.index].hash, parentKey: 'season' })),
    );
    for (const failed of result.failed) {
      const { season } = items[failed.index];
      this.event({ level: 'error', entityType: 'collection', entityKey: season, reason: `JOOR refused to ${verb} the linesheet of season ${season}: ${failed.message || failed.status}` });
    }
    return result.ok.filter((ok) => ok.duplicated).map((ok) => ({ ...items[ok.index], id: ok.id }));
  }
}
