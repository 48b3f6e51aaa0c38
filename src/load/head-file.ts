/**
 * `generated/head.json`: the schema at head as the embedded shadow (PGlite) normalized it, committed beside
 * `schema.sql`, with the unit hashes of that normalization (`incremental.ts`) and a checksum of the history it
 * equals. On a fresh clone (no node_modules/.cache) `plan` and `generate` take it instead of replaying the history
 * and as the base of an incremental normalization of schema/, when it was written for this very history, keikaku
 * and PGlite. It is a claim, not a proof: `check` and `verify` always replay the history and fail when the file
 * says something else, so a head edited by hand (or left stale) is caught in CI before its migration merges.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { pgliteVersion } from '../db/pglite-fresh.js';
import { sha256 } from '../emit/checksum.js';
import type { Schema } from '../model/schema.js';
import { SCHEMA_LISTS } from '../model/schema-json.js';
import { keepingInMemory, keikakuVersion, MODEL_VERSION } from './cache.js';
import type { NormalizedUnits } from './incremental.js';
import { upFiles, type Migration } from './migrations.js';

export const HEAD_FILE = 'head.json';
export const HEAD_FORMAT = 'keikaku-head/1';

/** The schema's lists, in the file's order; every one must be an array in a readable file. */
export { SCHEMA_LISTS } from '../model/schema-json.js';

export interface HeadFile {
  readonly format: string;
  /** keikaku's version (package.json), its schema model's, and the embedded PGlite's that normalized it. */
  readonly keikaku: string;
  readonly model: string;
  readonly pglite: string;
  readonly postgres: number;
  /** The history it equals: how many migrations, the last one, and `historyChecksum` of them. */
  readonly history: { readonly migrations: number; readonly head: string | null; readonly checksum: string };
  /** The normalization of schema/ it came from (`NormalizedUnits.context`); null when it came from a replay. */
  readonly context: string | null;
  /** The whole script's key (`NormalizedUnits.script`): schema/ unchanged since, its normalization is `schema`. */
  readonly script: string | null;
  /** The extensions schema/ declared (`NormalizedUnits.extensions`): the shadow to start while schema/ loads. */
  readonly extensions: readonly string[];
  readonly units: Readonly<Record<string, string>>;
  readonly schema: Schema;
}

/** What replaying `migrations` depends on: every up file, by name and content (plan.md and down files do not count). */
export const historyChecksum = (migrations: readonly Migration[]): string =>
  sha256(migrations.flatMap((m) => upFiles(m).map((f) => `${m.id}/${f} ${sha256(m.files.get(f)!)}`)).join('\n'));

/** The fields of a head file for `schema` at the head of `migrations` (the writer renders them). */
export const headFileFor = (schema: Schema, migrations: readonly Migration[], normalized: NormalizedUnits | null): HeadFile => ({
  format: HEAD_FORMAT,
  keikaku: keikakuVersion(),
  model: MODEL_VERSION,
  pglite: pgliteVersion() ?? '',
  postgres: schema.serverVersion,
  history: { migrations: migrations.length, head: migrations.at(-1)?.id ?? null, checksum: historyChecksum(migrations) },
  context: normalized?.context ?? null,
  script: normalized?.script ?? null,
  extensions: normalized?.extensions ?? [],
  units: normalized?.units ?? {},
  schema,
});

/** The committed head against the current history and build. */
export type HeadState =
  | { readonly kind: 'absent' }
  /** Not JSON, or not a head file of this format (a merge conflict, an edit). */
  | { readonly kind: 'unreadable'; readonly reason: string }
  /** Written for another history (a migration added, edited or removed since). */
  | { readonly kind: 'other-history'; readonly head: HeadFile }
  /** Written by another keikaku or PGlite: what it holds may be printed differently here; not used, not compared. */
  | { readonly kind: 'other-build'; readonly head: HeadFile; readonly reason: string }
  | { readonly kind: 'current'; readonly head: HeadFile };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const json = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (e) {
    return new Error(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
};

/** Everything but the schema; a reason when something is missing or malformed. */
const header = (v: unknown): string | null => {
  if (!isObject(v) || v.format !== HEAD_FORMAT) return `not a ${HEAD_FORMAT} file`;
  const h = v.history;
  if (!isObject(h) || typeof h.checksum !== 'string' || typeof v.keikaku !== 'string' || typeof v.model !== 'string' || typeof v.pglite !== 'string') return 'its history or build is missing';
  if (!isObject(v.units) || Object.values(v.units).some((x) => typeof x !== 'string') || !(v.context === null || typeof v.context === 'string') || !(v.script === null || typeof v.script === 'string') || !Array.isArray(v.extensions) || v.extensions.some((x) => typeof x !== 'string'))
    return 'its units are malformed';
  return null;
};

const isSchema = (s: unknown): boolean => isObject(s) && typeof s.serverVersion === 'number' && SCHEMA_LISTS.every((k) => Array.isArray(s[k]));

const parsed = (text: string): HeadFile | string => {
  const v = json(text);
  if (v instanceof Error) return v.message;
  const wrong = header(v);
  if (wrong !== null) return wrong;
  if (!isSchema((v as { schema?: unknown }).schema)) return 'its schema is malformed';
  return v as unknown as HeadFile;
};

/** The schema of a head read with `lazySchema`, found unreadable when it was first read. */
export class HeadSchemaError extends Error {
  override readonly name = 'HeadSchemaError';
}

/** Where the writer's layout puts the schema: the last member, on a line of its own (`emit/head-file.ts`). */
const SCHEMA_MEMBER = '\n"schema": ';

/**
 * `parsed`, with the schema (nearly all of the file) parsed when first read: the file as the writer lays it out
 * is split before its last member, the schema. Its `schema` then throws a HeadSchemaError when that part is not
 * a schema. Any other layout, or a header that does not parse alone, is parsed whole.
 */
const parsedLazily = (text: string): HeadFile | string => {
  const at = text.lastIndexOf(SCHEMA_MEMBER);
  // The closing brace of the whole file, on the last line.
  const end = text.endsWith('\n}\n') ? text.length - 2 : text.endsWith('\n}') ? text.length - 1 : -1;
  const v = at > 0 && text[at - 1] === ',' && end > at ? json(`${text.slice(0, at - 1)}\n}`) : null;
  if (v === null || v instanceof Error || header(v) !== null) return parsed(text);
  let schema: Schema | undefined;
  const schemaText = text.slice(at + SCHEMA_MEMBER.length, end);
  return Object.defineProperty({ ...(v as object) }, 'schema', {
    enumerable: true,
    get: () => {
      if (schema === undefined) {
        const s = json(schemaText);
        if (s instanceof Error || !isSchema(s)) throw new HeadSchemaError(`generated/head.json: ${s instanceof Error ? `its schema is ${s.message}` : 'its schema is malformed'}`);
        schema = s as Schema;
      }
      return schema;
    },
  }) as HeadFile;
};

/** `generated/head.json` parsed ahead of need (`parseHeadAhead`), for the next read of the very same text. */
let parsedAhead: { readonly text: string; readonly head: HeadFile } | null = null;

/**
 * The last heads `parseHeadAhead` parsed or this process wrote (`writtenHead`), newest first, while the cache keeps
 * schemas in memory (`keepingInMemory`: the daemon), by the sha-256 of their text: the text itself (7 MB for 1,000
 * tables) is not kept. Schemas are not changed once made.
 */
let recentHeads: { readonly digest: string; readonly head: HeadFile }[] = [];
const RECENT_HEADS = 2;

/** What a head's text is kept by while heads are kept (`keepingInMemory`); null otherwise. */
const headDigest = (text: string): string | null => (keepingInMemory() ? sha256(text) : null);

/** A recent head of the very same text, by its `headDigest` (a branch switched back, a file restored, the one just written). */
const recentHead = (digest: string | null): HeadFile | undefined => (digest === null ? undefined : recentHeads.find((r) => r.digest === digest)?.head);

const rememberHead = (digest: string | null, head: HeadFile): void => {
  recentHeads = digest === null ? [] : [{ digest, head }, ...recentHeads.filter((x) => x.digest !== digest)].slice(0, RECENT_HEADS);
};

/**
 * The head file this process just wrote, as `text`: a later `parseHeadAhead` of the same text takes `head` itself
 * (the schema a run normalized, with its graph made) instead of parsing it again. `renderHeadFile` writes a
 * schema so that it parses back deep-equal (`schemaJson`).
 */
export const writtenHead = (text: string, head: HeadFile): void => rememberHead(headDigest(text), head);

/**
 * Parses `generated/head.json` now, its schema when first read (`parsedLazily`), for the next `committedHead` in
 * this process (the daemon, after a save): that read takes it if the file still holds the same text. Null when
 * there is none, or it is unreadable (that read then says why).
 */
export const parseHeadAhead = (generatedDir: string): HeadFile | null => {
  parsedAhead = null;
  try {
    const text = readFileSync(join(generatedDir, HEAD_FILE), 'utf8');
    // The same objects as a recent head's, whose dependency graph and other memos are made already.
    const digest = headDigest(text);
    const head = recentHead(digest) ?? parsedLazily(text);
    if (typeof head === 'string') return null;
    parsedAhead = { text, head };
    rememberHead(digest, head);
    return head;
  } catch {
    return null;
  }
};

/**
 * The committed head of `generatedDir`, judged against `migrations` (the history as read now). `lazySchema`: its
 * schema is parsed when first read (`parsedLazily`), which may throw a HeadSchemaError.
 */
export const committedHead = (generatedDir: string, migrations: readonly Migration[], options: { readonly lazySchema?: boolean } = {}): HeadState => {
  const path = join(generatedDir, HEAD_FILE);
  if (!existsSync(path)) return { kind: 'absent' };
  const text = readFileSync(path, 'utf8');
  const early = parsedAhead?.text === text ? parsedAhead.head : (recentHead(recentHeads.length ? headDigest(text) : null) ?? null);
  parsedAhead = null;
  const head = early ?? (options.lazySchema ? parsedLazily(text) : parsed(text));
  if (typeof head === 'string') return { kind: 'unreadable', reason: head };
  return judgedHead(head, migrations);
};

/** A head file judged against `migrations` and this build (`committedHead`). */
export const judgedHead = (head: HeadFile, migrations: readonly Migration[]): HeadState => {
  const build = [
    head.keikaku !== keikakuVersion() && `keikaku ${head.keikaku} (this is ${keikakuVersion()})`,
    head.model !== MODEL_VERSION && `model ${head.model} (this is ${MODEL_VERSION})`,
    head.pglite !== (pgliteVersion() ?? '') && `PGlite ${head.pglite} (this is ${pgliteVersion() ?? 'none'})`,
  ].filter(Boolean);
  if (build.length) return { kind: 'other-build', head, reason: `written by ${build.join(' and ')}` };
  if (head.history.checksum !== historyChecksum(migrations)) return { kind: 'other-history', head };
  return { kind: 'current', head };
};

/** The committed head's units as an incremental normalization's start (null when it came from a replay). */
export const headUnits = (head: HeadFile): NormalizedUnits | null =>
  head.context === null ? null : { context: head.context, units: head.units, extensions: head.extensions, ...(head.script === null ? {} : { script: head.script }) };

/**
 * The extensions `generated/head.json` names, read from its first lines without parsing the rest (the writer puts
 * them there, `emit/head-file.ts`): a guess for the shadow started before the file is read and checked. Null when
 * there is no such line.
 */
export const peekHeadExtensions = (generatedDir: string): string[] | null => {
  let fd: number | undefined;
  try {
    fd = openSync(join(generatedDir, HEAD_FILE), 'r');
    const buffer = Buffer.alloc(16 * 1024);
    const text = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
    const line = /^"extensions": (\[.*\]),$/m.exec(text);
    const list: unknown = line ? JSON.parse(line[1]!) : null;
    return Array.isArray(list) && list.every((e) => typeof e === 'string') ? (list as string[]) : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};
