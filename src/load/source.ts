/**
 * Sources of a schema for `diff`: a live database (read, never written) or a `.sql` file loaded into a
 * scratch database: a server's when one is named (so both sides share a major version), else embedded PGlite.
 * What only the other kinds need is imported when one is read: a diff of two live databases does not load it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import type { Db } from '../db/types.js';
import { maskUrl, parsePgUrl } from '../db/url.js';
import { introspect } from '../introspect/index.js';
import type { Schema } from '../model/schema.js';

export type SourceSpec =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'sql'; readonly file: string }
  /** `migrations:DIR`: the schema a generated/ folder's history leads to, replayed in the shadow. */
  | { readonly kind: 'migrations'; readonly dir: string }
  /** A schema directory in the DSL (`schema/`): loaded and normalized in the shadow. */
  | { readonly kind: 'schema'; readonly dir: string };

export const isDatabaseUrl = (s: string) => /^postgres(ql)?:\/\//i.test(s);

export const parseSource = (text: string, flag: string): SourceSpec => {
  if (isDatabaseUrl(text)) return { kind: 'url', url: text };
  if (text.startsWith('migrations:')) {
    const dir = text.slice('migrations:'.length);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${flag} ${maskUrl(text)}: no such directory`);
    return { kind: 'migrations', dir };
  }
  if (/\.sql$/i.test(text)) {
    if (!existsSync(text) || !statSync(text).isFile()) throw new UserError(`${flag} ${maskUrl(text)}: no such file`);
    return { kind: 'sql', file: text };
  }
  if (existsSync(text) && statSync(text).isDirectory()) return { kind: 'schema', dir: text };
  // Text that looks like a connection string is refused as one, so the message names the form a URL must have.
  if (/^postgres|@|password\s*=/i.test(text)) parsePgUrl(text);
  throw new UserError(`${flag} ${maskUrl(text)}: expected a postgres:// URL, a .sql file, a schema directory or migrations:DIR`);
};

/** Reads a schema; introspection qualifies every printed name itself, whatever the session's search_path. */
export const readSchema = (db: Db): Promise<Schema> => introspect(db);

export interface ReadOptions {
  /** A server to create scratch databases on for `.sql` sources. */
  readonly shadowUrl?: string | undefined;
}

export const readSource = async (spec: SourceSpec, options: ReadOptions): Promise<Schema> => {
  if (spec.kind === 'url') {
    const db = await connectPg(spec.url);
    try {
      return await readSchema(db);
    } finally {
      await db.close();
    }
  }
  if (spec.kind === 'migrations') {
    const { readHistory } = await import('./migrations.js');
    const { historySchema } = await import('./history-schema.js');
    const history = readHistory(spec.dir);
    const broken = history.problems.filter((p) => p.code === 'BAD_PLAN' || p.code === 'TWO_HEADS');
    if (broken.length) throw new UserError(`${spec.dir}: ${broken.map((p) => p.message).join('; ')}`, 3);
    return historySchema(history.migrations, { shadowUrl: options.shadowUrl });
  }
  if (spec.kind === 'schema') {
    const { loadSchemaDir } = await import('./schema-dir.js');
    const { normalize } = await import('./shadow.js');
    return normalize(await loadSchemaDir(spec.dir, { cwd: process.cwd() }), { shadowUrl: options.shadowUrl });
  }
  const sql = readFileSync(spec.file, 'utf8');
  const { loadSql } = await import('../db/load-sql.js');
  if (options.shadowUrl) {
    const { createScratchDatabase } = await import('../db/scratch.js');
    const scratch = await createScratchDatabase(options.shadowUrl);
    try {
      await loadSql(scratch.db, sql, spec.file);
      return await readSchema(scratch.db);
    } finally {
      await scratch.drop();
    }
  }
  const { extensionsNeeded, openPglite } = await import('../db/pglite.js');
  const db = await openPglite({ extensions: extensionsNeeded(sql) });
  try {
    await loadSql(db, sql, spec.file);
    return await readSchema(db);
  } finally {
    await db.close();
  }
};
