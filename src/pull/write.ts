/**
 * Brings a schema directory in line with the declarations, one exported declaration at a time. A declaration that
 * exists keeps its file, export name and text when the object it declares, normalized on the database's own server,
 * equals the database's object (`WriteOptions.previous`), or when that object renders as at the last pull
 * (STATE_FILE: an edit not yet applied is not undone); otherwise only its initializer is replaced. A new one is
 * added (to the file the layout gives it); one pull wrote whose object is gone is removed. Code around the
 * declarations (comments, helpers, other imports) is kept; a file none of whose declarations changes keeps every
 * byte. Imports of keikaku and of other schema files are recomputed in an edited file, and rewritten only when the
 * names they need differ. So the same database always gives byte-identical files.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { sha256 } from '../emit/checksum.js';
import * as K from '../model/keys.js';
import type { Schema } from '../model/schema.js';
import { print } from './code.js';
import { DeclContext, type RenderScope } from './context.js';
import type { Decl } from './decls.js';
import type { ExistingDecl, ExistingFile } from './existing.js';
import { fingerprints } from './fingerprint.js';
import { ExportNames } from './names.js';

export type FileStatus = 'created' | 'updated' | 'unchanged' | 'deleted';

export interface WrittenFile {
  readonly file: string;
  readonly status: FileStatus;
  /** Declarations added, replaced and removed in it. */
  readonly added: readonly string[];
  readonly replaced: readonly string[];
  readonly removed: readonly string[];
}

export interface WriteResult {
  readonly files: readonly WrittenFile[];
  /** What could not be said in the DSL, per object. */
  readonly notes: readonly string[];
}

interface Rendered {
  readonly decl: Decl;
  readonly exportName: string;
  readonly file: string;
  readonly text: string | undefined;
  readonly dsl: ReadonlySet<string>;
  readonly refs: ReadonlySet<string>;
}

const TYPE_ONLY = new Set(['ColumnRef']);

const specifierFor = (from: string, to: string): string => {
  let rel = posix.relative(posix.dirname(from), to).replace(/\.(m|c)?ts$/, (_, m: string | undefined) => `.${m ?? ''}js`);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
};

const importLine = (names: readonly string[], specifier: string): string => {
  const one = `import { ${names.join(', ')} } from '${specifier}';`;
  return one.length <= 120 ? one : `import {\n${names.map((n) => `  ${n},`).join('\n')}\n} from '${specifier}';`;
};

const sortNames = (names: Iterable<string>): string[] => {
  const all = [...new Set(names)];
  const plain = all.filter((n) => !n.startsWith('type ')).sort((a, b) => a.localeCompare(b, 'en'));
  const types = all.filter((n) => n.startsWith('type ')).sort((a, b) => a.localeCompare(b, 'en'));
  return [...plain, ...types];
};

/** Identifiers used in `text` other than as a property name (`x` in `x.y`, not `y`). */
const identifiersIn = (text: string): Set<string> => {
  const out = new Set<string>();
  for (const m of text.matchAll(/(^|[^A-Za-z0-9_$.])([A-Za-z_$][A-Za-z0-9_$]*)/g)) out.add(m[2]!);
  return out;
};

export interface WriteOptions {
  readonly dir: string;
  readonly schema: Schema;
  readonly decls: readonly Decl[];
  readonly existing: readonly ExistingFile[];
  /** Postgres schemas pulled (null: all): declarations of other schemas are never removed. */
  readonly schemas: readonly string[] | null;
  /** Compute only; write nothing. */
  readonly dryRun?: boolean;
  /**
   * The existing schema directory as a database would have it (loaded and normalized on the same server as the
   * database was read from, so both sides come from one introspector): a declaration whose object is the same
   * there and in the database stays as written, `renamedFrom`, backfills, comments, column order and layout
   * included. Undefined when the directory declares nothing or cannot be loaded: then only the last pull's record
   * keeps a declaration.
   */
  readonly previous?: Schema | undefined;
}

/**
 * What the last pull wrote, in `<schema dir>/.keikaku-pull.json` (the loader skips dot-files): a hash of each
 * declaration's text by its key. A declaration whose object renders the same as last time is left alone, however
 * it was edited since (a column declared and not yet generated, a reformat); only declarations pull wrote are ever removed, so one written
 * by hand for an object not yet in the database stays.
 */
export const STATE_FILE = '.keikaku-pull.json';
interface PullState {
  readonly format: 'keikaku-pull/1';
  readonly declarations: Readonly<Record<string, string>>;
}
const hashOf = (text: string) => sha256(text).slice(0, 16);
const readState = (dir: string): Map<string, string> | null => {
  try {
    const s = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as PullState;
    return s.format === 'keikaku-pull/1' ? new Map(Object.entries(s.declarations)) : null;
  } catch {
    return null;
  }
};

export const writeSchemaDir = (o: WriteOptions): WriteResult => {
  const state = readState(o.dir);
  const existingByKey = new Map<string, ExistingDecl>();
  const names = new ExportNames();
  for (const f of o.existing) {
    for (const n of f.exportNames) names.reserve(n);
    for (const d of f.decls) if (!existingByKey.has(d.matchKey)) existingByKey.set(d.matchKey, d);
  }
  const exportOf = new Map<string, string>();
  const fileOf = new Map<string, string>();
  for (const d of [...o.decls].sort((a, b) => a.rank - b.rank)) {
    const e = existingByKey.get(d.matchKey);
    exportOf.set(d.key, e ? e.exportName : names.claim(d.candidates));
    fileOf.set(d.key, e ? e.file : d.file);
  }
  // Declarations of schemas this pull leaves out (--schema) can still be referenced where they are.
  if (o.schemas !== null)
    for (const [k, e] of existingByKey)
      if (!exportOf.has(k) && ['table', 'view', 'type', 'sequence'].includes((JSON.parse(k) as string[])[0]!)) {
        exportOf.set(k, e.exportName);
        fileOf.set(k, e.file);
      }
  const scope: RenderScope = { schema: o.schema, exportOf: (k) => exportOf.get(k) };
  const notes: string[] = [];
  const rendered: Rendered[] = o.decls.map((d) => {
    const ctx = new DeclContext(scope);
    const callee = (word: string) => {
      if (d.schema === 'public' || d.kind === 'schema' || d.kind === 'extension' || d.kind === 'custom') return ctx.dsl(word);
      return `${ctx.ref(K.schemaKey(d.schema)) ?? ctx.dsl('schema')}.${word}`;
    };
    const code = d.render(ctx, callee);
    notes.push(...ctx.notes);
    return { decl: d, exportName: exportOf.get(d.key)!, file: fileOf.get(d.key)!, text: code === undefined ? undefined : print(code), dsl: ctx.dslNames, refs: ctx.refs };
  });

  const byFile = new Map<string, Rendered[]>();
  for (const r of rendered) (byFile.get(r.file) ?? byFile.set(r.file, []).get(r.file)!).push(r);
  const existingFiles = new Map(o.existing.map((f) => [f.file, f]));
  const wanted = new Set(o.decls.map((d) => d.matchKey));
  const pulledSchema = (k: ExistingDecl) => {
    if (o.schemas === null) return true;
    const parts = JSON.parse(k.matchKey) as string[];
    return parts.length > 1 && o.schemas.includes(parts[1]!);
  };
  const wasPulled = (k: string) => state?.has(k) === true;
  const before = o.previous ? fingerprints(o.previous) : undefined;
  const now = before ? fingerprints(o.schema) : undefined;
  // Equal objects, both read by one introspector: the file's declaration already says what the database has.
  const sameObject = (r: Rendered) => before !== undefined && before.get(r.decl.key) !== undefined && before.get(r.decl.key) === now!.get(r.decl.key);
  const keep = (r: Rendered) => r.text !== undefined && (sameObject(r) || state?.get(r.decl.matchKey) === hashOf(r.text));
  const out: WrittenFile[] = [];
  for (const file of [...new Set([...byFile.keys(), ...existingFiles.keys()])].sort()) {
    const items = (byFile.get(file) ?? []).sort((a, b) => a.decl.rank - b.decl.rank || (a.decl.name < b.decl.name ? -1 : a.decl.name > b.decl.name ? 1 : 0));
    const ex = existingFiles.get(file);
    const links: Links = { fileOf, exportOf };
    const result = ex
      ? editFile(ex, items, { isDropped: (d) => !wanted.has(d.matchKey) && pulledSchema(d) && wasPulled(d.matchKey), keep }, links)
      : createFile(file, items, links);
    if (!result) continue;
    out.push({ file, status: result.status, added: result.added, replaced: result.replaced, removed: result.removed });
    if (o.dryRun) continue;
    const path = join(o.dir, file);
    if (result.status === 'deleted') rmSync(path, { force: true });
    else if (result.status !== 'unchanged') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, result.text);
    }
  }
  // The state: every declaration this pull stands behind (kept ones of other schemas too).
  const next: Record<string, string> = {};
  if (o.schemas !== null && state)
    for (const [k, h] of state) if (!o.schemas.includes((JSON.parse(k) as string[])[1] ?? '')) next[k] = h;
  for (const r of rendered) if (r.text !== undefined) next[r.decl.matchKey] = hashOf(r.text);
  const sortedState: Record<string, string> = {};
  for (const k of Object.keys(next).sort()) sortedState[k] = next[k]!;
  const stateText = `${JSON.stringify({ format: 'keikaku-pull/1', declarations: sortedState } satisfies PullState, null, 1)}\n`;
  const statePath = join(o.dir, STATE_FILE);
  if (!o.dryRun && (!existsSync(statePath) || readFileSync(statePath, 'utf8') !== stateText)) {
    mkdirSync(o.dir, { recursive: true });
    writeFileSync(statePath, stateText);
  }
  return { files: out, notes };
};

interface FileEdit {
  readonly status: FileStatus;
  readonly text: string;
  readonly added: string[];
  readonly replaced: string[];
  readonly removed: string[];
}

/** Where each declaration lives and what it is exported as. */
interface Links {
  readonly fileOf: ReadonlyMap<string, string>;
  readonly exportOf: ReadonlyMap<string, string>;
}

/** Imports a file needs for its declarations: keikaku names, and export names by the file they live in. */
const neededImports = (file: string, items: readonly Rendered[], { fileOf, exportOf }: Links) => {
  const dsl = new Set<string>();
  const byModule = new Map<string, Set<string>>();
  for (const r of items) {
    if (r.text === undefined) continue;
    for (const n of r.dsl) dsl.add(TYPE_ONLY.has(n) ? `type ${n}` : n);
    for (const k of r.refs) {
      const f = fileOf.get(k);
      const name = exportOf.get(k);
      if (!f || !name || f === file) continue;
      const spec = specifierFor(file, f);
      (byModule.get(spec) ?? byModule.set(spec, new Set()).get(spec)!).add(name);
    }
  }
  return { dsl, byModule };
};

const createFile = (file: string, items: readonly Rendered[], links: Links): FileEdit | undefined => {
  const live = items.filter((r) => r.text !== undefined);
  if (live.length === 0) return undefined;
  const { dsl, byModule } = neededImports(file, live, links);
  const imports = [
    ...(dsl.size ? [importLine(sortNames(dsl), 'keikaku')] : []),
    ...[...byModule.keys()].sort().map((m) => importLine(sortNames(byModule.get(m)!), m)),
  ];
  const body = live.map((r) => `export const ${r.exportName} = ${r.text};`).join('\n\n');
  return { status: 'created', text: `${imports.join('\n')}\n\n${body}\n`, added: live.map((r) => r.exportName), replaced: [], removed: [] };
};

const editFile = (
  ex: ExistingFile,
  items: readonly Rendered[],
  rules: { readonly isDropped: (d: ExistingDecl) => boolean; readonly keep: (r: Rendered) => boolean },
  links: Links,
): FileEdit => {
  const { isDropped, keep } = rules;
  const edits: { start: number; end: number; text: string }[] = [];
  const added: string[] = [];
  const replaced: string[] = [];
  const removed: string[] = [];
  const present = new Map(ex.decls.map((d) => [d.matchKey, d]));
  const appended: string[] = [];
  // Declarations left as written: their imports are the ones the file has (what the text uses), not those of the text pull would write.
  const kept = new Set<Rendered>();
  for (const r of items) {
    if (r.text === undefined) continue;
    const e = present.get(r.decl.matchKey);
    if (e) {
      if (e.initializer.text === r.text) continue;
      if (keep(r)) kept.add(r);
      else {
        edits.push({ start: e.initializer.start, end: e.initializer.end, text: r.text });
        replaced.push(r.exportName);
      }
    } else {
      appended.push(`export const ${r.exportName} = ${r.text};`);
      added.push(r.exportName);
    }
  }
  for (const d of ex.decls) {
    if (!isDropped(d)) continue;
    let end = d.statement.end;
    while (ex.text[end] === '\n') end++;
    edits.push({ start: d.statement.start, end, text: '' });
    removed.push(d.exportName);
  }
  // Every declaration of the file already says what the database has: the file keeps every byte, imports included.
  if (edits.length === 0 && appended.length === 0) return { status: 'unchanged', text: ex.text, added, replaced, removed };
  if (ex.statementCount === removed.length && appended.length === 0 && items.every((r) => r.text === undefined || !present.has(r.decl.matchKey)))
    return { status: 'deleted', text: '', added, replaced, removed };

  let text = ex.text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  if (appended.length) text = `${text.replace(/\s*$/, '')}\n\n${appended.join('\n\n')}\n`;
  text = fixImports(ex, text, items.filter((r) => !kept.has(r)), links);
  return { status: text === ex.text ? 'unchanged' : 'updated', text, added, replaced, removed };
};

const isManaged = (specifier: string) => specifier === 'keikaku' || specifier.startsWith('./') || specifier.startsWith('../');

/** Rewrites keikaku and relative imports when the names the file uses differ from those imported. */
const fixImports = (ex: ExistingFile, text: string, items: readonly Rendered[], links: Links): string => {
  const { dsl, byModule } = neededImports(ex.file, items, links);
  // Imports precede every declaration an edit touches, so their positions hold in the edited text.
  const imports = ex.imports.filter((i) => i.plain && isManaged(i.specifier));
  let used = text;
  for (const i of [...ex.imports].reverse()) used = used.slice(0, i.start) + used.slice(i.end);
  const usedNames = identifiersIn(used);
  const keep = (names: readonly string[]) => names.filter((n) => usedNames.has(n.replace(/^type /, '').replace(/^.* as /, '')));
  const wantedModules = new Map<string, string[]>();
  const existingDsl = imports.filter((i) => i.specifier === 'keikaku').flatMap((i) => i.names);
  wantedModules.set('keikaku', sortNames([...dsl, ...keep(existingDsl)]));
  for (const [m, ns] of byModule) wantedModules.set(m, sortNames(ns));
  for (const i of imports) {
    if (i.specifier === 'keikaku') continue;
    const kept = keep(i.names);
    if (kept.length || wantedModules.has(i.specifier)) wantedModules.set(i.specifier, sortNames([...(wantedModules.get(i.specifier) ?? []), ...kept]));
  }
  for (const [m, ns] of wantedModules) if (ns.length === 0) wantedModules.delete(m);
  const current = new Map<string, string[]>();
  for (const i of imports) current.set(i.specifier, sortNames([...(current.get(i.specifier) ?? []), ...i.names]));
  const same = current.size === wantedModules.size && [...wantedModules].every(([m, ns]) => (current.get(m) ?? []).join(',') === ns.join(','));
  if (same) return text;
  const block = [...wantedModules.keys()]
    .sort((a, b) => (a === 'keikaku' ? -1 : b === 'keikaku' ? 1 : a.localeCompare(b)))
    .map((m) => importLine(wantedModules.get(m)!, m))
    .join('\n');
  if (imports.length === 0) return `${block}\n${text.startsWith('\n') ? '' : '\n'}${text}`;
  // Managed imports are replaced by one block where the first was; other imports stay where they are.
  let out = text;
  for (const i of [...imports].reverse()) {
    let end = i.end;
    if (i !== imports[0] && out[end] === '\n') end++;
    out = out.slice(0, i.start) + (i === imports[0] ? block : '') + out.slice(end);
  }
  return out;
};
