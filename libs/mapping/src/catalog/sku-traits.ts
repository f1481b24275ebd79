/**
 * Finding JOOR's Color and Size traits (every SKU carries one value of each). JOOR's v4 ids are
 * opaque strings and trait names vary between accounts (a public client ships the Color trait as
 * `U0tVVHJhaXQ6U3R5bGVDb2xvcg==`, base64 of `SKUTrait:StyleColor`), so each trait is found, in
 * this order: by the connection's setting (an id or a name), by the ids known from the public
 * record, by what such an id decodes to, and by the usual names.
 */
export interface TraitRef {
  id: string;
  name: string;
}

export interface TraitSettings {
  /** The connection's `joorColorTrait`: a trait id or name; null to find it. */
  color?: string | null;
  size?: string | null;
}

export type TraitResolution = { ok: true; color: string; size: string } | { ok: false; problem: string };

const KNOWN = {
  color: { ids: ['U0tVVHJhaXQ6U3R5bGVDb2xvcg=='], names: ['color', 'colour', 'stylecolor', 'stylecolour', 'colorway', 'colourway', 'colorname'] },
  size: { ids: ['U0tVVHJhaXQ6U2l6ZQ=='], names: ['size', 'stylesize', 'sizename'] },
} as const;

const normal = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** `SKUTrait:StyleColor` from its base64 id, or null when the id is not such a string. */
function decoded(id: string): string | null {
  if (!/^[A-Za-z0-9+/]+=*$/.test(id) || id.length % 4 !== 0) return null;
  const text = Buffer.from(id, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(text) ? text : null;
}

function find(traits: readonly TraitRef[], which: 'color' | 'size', setting: string | null | undefined): TraitRef | string {
  if (setting && setting.trim()) {
    const wanted = setting.trim();
    const found = traits.find((t) => t.id === wanted) ?? traits.find((t) => normal(t.name) === normal(wanted));
    return found ?? `JOOR has no trait "${wanted}" (the connection's ${which === 'color' ? 'joorColorTrait' : 'joorSizeTrait'} setting)`;
  }
  const known = KNOWN[which];
  const byId = traits.find((t) => (known.ids as readonly string[]).includes(t.id));
  if (byId) return byId;
  const byDecodedId = traits.find((t) => {
    const text = decoded(t.id);
    const kind = text?.slice(text.indexOf(':') + 1);
    return !!kind && (known.names as readonly string[]).includes(normal(kind));
  });
  if (byDecodedId) return byDecodedId;
  for (const name of known.names) {
    const byName = traits.find((t) => normal(t.name) === name);
    if (byName) return byName;
  }
  return `JOOR has no ${which === 'color' ? 'Color' : 'Size'} trait this integration recognises`;
}

/** The ids of the Color and Size traits among JOOR's `/v4/traits`, or why they cannot be told. */
export function resolveSkuTraits(traits: readonly TraitRef[], settings: TraitSettings = {}): TraitResolution {
  const color = find(traits, 'color', settings.color);
  const size = find(traits, 'size', settings.size);
  const problems = [color, size].filter((x): x is string => typeof x === 'string');
  if (typeof color !== 'string' && typeof size !== 'string' && color.id === size.id) problems.push(`the Color and Size traits resolve to one trait (${color.name})`);
  if (problems.length > 0) {
    const listed = traits.map((t) => `"${t.name}" (${t.id})`).join(', ') || 'none';
    return { ok: false, problem: `${problems.join('; ')}. JOOR's traits: ${listed}. Set joorColorTrait / joorSizeTrait on the connection to an id or name from that list.` };
  }
  return { ok: true, color: (color as TraitRef).id, size: (size as TraitRef).id };
}
