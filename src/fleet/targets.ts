/**
 * The databases of a fleet (docs/fleets.md): a targets file (one URL per line), the config's `targets` list, or
 * the rows of a query on a catalog database (database per tenant). Every URL is checked before anything connects,
 * and a malformed one is refused with its password masked, naming where it was written.
 */
import { UserError } from '../db/errors.js';
import { describeTarget, maskUrl } from '../db/url.js';

/** One database of the fleet, as written; `label` is its URL without the password, for every report. */
export interface FleetEntry {
  readonly url: string;
  readonly label: string;
  /** A name given in the config (`{ name, url }`), for reports. */
  readonly name?: string | undefined;
  /** Production by the config's entry (the environments and the database's own mark are read later too). */
  readonly production: boolean;
  /** Where it was written: `targets.txt:3`, `keikaku.config.ts targets[2]`, `targets query row 5`. */
  readonly source: string;
  /** Schema per tenant (`--schemas`): the tenant schema of this database the target is. */
  readonly schema?: string | undefined;
  /** `--schemas`: why this database's schemas could not be listed (it is then a failed target, never run). */
  readonly listError?: string | undefined;
}

/** `FILE:LINE`-style place, a URL; the entry, or a UserError whose text masks the password. */
const entry = (url: string, source: string, extra: { name?: string | undefined; production?: boolean | undefined } = {}): FleetEntry => {
  let label: string;
  try {
    label = describeTarget(url);
  } catch (error) {
    // parsePgUrl's message already masks the URL; say where it was written.
    throw new UserError(`${source}: ${error instanceof Error ? error.message : `invalid database URL "${maskUrl(url)}"`}`, 1, { cause: error });
  }
  return { url, label, ...(extra.name === undefined ? {} : { name: extra.name }), production: extra.production === true, source };
};

/** The same database twice would be reported twice and its second run would find nothing to do: refused. */
const distinct = (entries: readonly FleetEntry[], what: string): FleetEntry[] => {
  const seen = new Map<string, FleetEntry>();
  for (const e of entries) {
    const before = seen.get(e.label);
    if (before) throw new UserError(`${what}: ${e.label} is listed twice (${before.source} and ${e.source})`);
    seen.set(e.label, e);
  }
  return [...entries];
};

/**
 * A targets file: one URL per line; blank lines and lines whose first non-blank character is `#` are skipped,
 * and so is a `#` comment after the URL when whitespace precedes it (a password may hold `#`; percent-encode it
 * when it follows a space). Leading and trailing whitespace is ignored.
 */
export const parseTargetsFile = (text: string, file: string): FleetEntry[] => {
  const out: FleetEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    out.push(entry(line, `${file}:${i + 1}`));
  });
  if (out.length === 0) throw new UserError(`${file}: no database URL in it (one URL per line; # starts a comment)`);
  return distinct(out, file);
};

/** `env:NAME` reads the URL from an environment variable, as environments of the config do. */
const fromEnv = (value: string, where: string, env: NodeJS.ProcessEnv): string => {
  if (!value.startsWith('env:')) return value;
  const url = env[value.slice(4)];
  if (!url) throw new UserError(`${where} reads its URL from $${value.slice(4)}, which is not set`);
  return url;
};

/** The config's `targets` list. */
export const listedTargets = (
  list: readonly (string | { readonly url: string; readonly name?: string; readonly production?: boolean })[],
  configFile: string,
  env: NodeJS.ProcessEnv = process.env,
): FleetEntry[] => {
  const out = list.map((t, i) => {
    const where = `${configFile} targets[${i}]`;
    if (typeof t === 'string') return entry(fromEnv(t, where, env), where);
    if (!t || typeof t.url !== 'string') throw new UserError(`${where}: expected a URL or { url, name?, production? }`);
    return entry(fromEnv(t.url, where, env), where, { name: t.name, production: t.production });
  });
  if (out.length === 0) throw new UserError(`${configFile}: targets is empty`);
  return distinct(out, `${configFile} targets`);
};

/** The rows of a targets query: the first column of each is a URL. */
export const queriedTargets = (rows: readonly Record<string, unknown>[], what: string): FleetEntry[] => {
  const out = rows.map((row, i) => {
    const value = Object.values(row)[0];
    if (typeof value !== 'string' || value.trim() === '') throw new UserError(`${what} row ${i + 1}: expected a database URL in the first column`);
    return entry(value.trim(), `${what} row ${i + 1}`);
  });
  if (out.length === 0) throw new UserError(`${what}: returned no rows`);
  return distinct(out, what);
};

export { fromEnv as targetUrlFromEnv };
