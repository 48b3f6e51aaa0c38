/**
 * The last load of schema/ kept for the next run: when no file it read (schema/ and every module those files
 * import) and no environment variable it read has changed, the next `plan` or `generate` takes its result — the
 * normalized schema from the cache, the rename hints, backfills and distributions — without evaluating the
 * TypeScript or starting a shadow. Declarations (for findings that point at a line) are not kept: `check` loads.
 */
import type { ResolvedConfig } from '../config/index.js';
import type { Distribution } from '../dsl/distribution.js';
import { hintSiteText } from '../dsl/rename-hints.js';
import { sha256 } from '../emit/checksum.js';
import { cacheKey, readCached, readEntry, writeEntry } from '../load/cache.js';
import type { NormalizedUnits } from '../load/incremental.js';
import { inputsUnchanged, type InputStamp } from '../load/inputs.js';
import { schemaFiles, type LoadedSchema } from '../load/schema-dir.js';
import type { NormalizeOptions } from '../load/shadow.js';
import type { Desired } from './desired.js';

interface KeptDesired {
  /** keikaku, its model and the embedded PGlite (`cacheKey`): another build normalizes anew. */
  readonly build: string;
  /** schema/'s files when it was loaded: a file added since is read by no kept load. */
  readonly files: readonly string[];
  readonly inputs: InputStamp;
  /** The normalization's units; `units.script` is the cache key of the normalized schema. */
  readonly units: NormalizedUnits;
  readonly hints: readonly { readonly text: string; readonly site: string }[];
  readonly backfills: readonly (readonly [string, string])[];
  readonly distributions: readonly (readonly [string, Distribution])[];
}

const entryName = (config: ResolvedConfig) => `desired-${sha256(config.schemaDir).slice(0, 16)}`;

const build = () => cacheKey(['desired-build']);

/** Records the load of `loaded` (normalized as `units`) with what it read. */
export const keepDesired = (config: ResolvedConfig, inputs: InputStamp, loaded: LoadedSchema, units: NormalizedUnits): void => {
  const entry: KeptDesired = {
    build: build(),
    files: loaded.files,
    inputs,
    units,
    hints: loaded.renameHints.map((h) => ({ text: h.text, site: hintSiteText(h) })),
    backfills: [...loaded.backfills],
    distributions: [...loaded.distributions],
  };
  writeEntry(config.root, entryName(config), entry);
};

/**
 * The kept load, when nothing it read has changed and its normalized schema is at hand: `inMemory` when that is
 * the load kept, the committed head's (`base`, already read) when it is the same normalization, else the cache's
 * copy. Null otherwise.
 */
export const reusedDesired = (config: ResolvedConfig, base: NormalizeOptions['base'], inMemory?: Desired): Desired | null => {
  const kept = readEntry<KeptDesired>(config.root, entryName(config));
  if (!kept || kept.build !== build() || typeof kept.units?.script !== 'string' || !Array.isArray(kept.files)) return null;
  const files = schemaFiles(config.schemaDir);
  if (files.length !== kept.files.length || files.some((f, i) => f !== kept.files[i]) || !inputsUnchanged(kept.inputs)) return null;
  // The load that kept it, still in this process's hands (`loadAhead`): taken whole.
  if (inMemory?.units?.script === kept.units.script) return inMemory;
  const schema = (base?.units.script === kept.units.script ? base.schema() : null) ?? readCached(config.root, kept.units.script);
  if (!schema) return null;
  const sites = new Map(kept.hints.map((h) => [h.text, h.site]));
  return {
    schema,
    hints: kept.hints.map((h) => h.text),
    hintSite: (text) => sites.get(text),
    backfills: new Map(kept.backfills),
    distributions: new Map(kept.distributions),
    units: kept.units,
  };
};
