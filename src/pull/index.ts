/**
 * `pull`: a live database → `schema/*.ts`. Introspects (the same reader as every other stage), turns each object
 * into the declaration a person would write with the DSL, and brings the schema directory in line with them by
 * editing declarations in place (`write.ts`), so a second pull of the same database changes no byte and a pull
 * after a change touches only what changed. Also reports another migration tool's journal found in the database.
 */
import { existsSync, statSync } from 'node:fs';
import { UserError } from '../db/errors.js';
import type { Db } from '../db/types.js';
import { introspect } from '../introspect/index.js';
import type { Schema } from '../model/schema.js';
import { declarations } from './decls.js';
import { readExisting } from './existing.js';
import { readRoutineDetails } from './routine-details.js';
import { detectForeignJournals, type ForeignJournal } from './takeover.js';
import { writeSchemaDir, type WrittenFile } from './write.js';

export { describeJournal, type ForeignJournal } from './takeover.js';
export type { WrittenFile } from './write.js';

export interface PullOptions {
  /** The schema directory, absolute. */
  readonly dir: string;
  /** Only these Postgres schemas; all user schemas when null. */
  readonly schemas: readonly string[] | null;
  /** Compute the changes, write nothing. */
  readonly dryRun?: boolean;
  /**
   * Reads the existing schema directory as a database would have it, normalized on the server the database is on
   * (one introspector for both sides): objects the same there and in the database keep their declarations as
   * written. Called when the directory declares anything; undefined when it cannot be read (then a declaration
   * is kept only when its object renders as at the last pull).
   */
  readonly previous?: () => Promise<Schema | undefined>;
}

export interface PullResult {
  /** The database as introspected (other tools' journals left out). */
  readonly schema: Schema;
  readonly files: readonly WrittenFile[];
  /** Objects (or parts) the DSL cannot say, left out of the files: each names the object. */
  readonly notes: readonly string[];
  readonly journals: readonly ForeignJournal[];
  /** Declarations by kind. */
  readonly counts: Readonly<Record<string, number>>;
}

/** Reads the database behind `db` and writes its declarations under `options.dir`. */
export const pull = async (db: Db, options: PullOptions): Promise<PullResult> => {
  if (existsSync(options.dir) && !statSync(options.dir).isDirectory()) throw new UserError(`${options.dir} is not a directory: pull writes a schema directory`);
  const schema = await introspect(db, options.schemas ? { schemas: options.schemas } : {});
  const missing = (options.schemas ?? []).filter((s) => !schema.schemas.some((n) => n.name === s));
  if (missing.length) throw new UserError(`--schema ${missing.join(', ')}: no such schema in ${db.label}`);
  const details = await readRoutineDetails(db, options.schemas);
  const journals = await detectForeignJournals(db);
  return await pullSchema(schema, details, journals, options);
};

/** The writing half of `pull`, for a schema already read. */
export const pullSchema = async (
  schema: Schema,
  details: Awaited<ReturnType<typeof readRoutineDetails>>,
  journals: readonly ForeignJournal[],
  options: PullOptions,
): Promise<PullResult> => {
  const { decls } = declarations(schema, { details });
  const existing = await readExisting(options.dir);
  const declares = existing.some((f) => f.decls.length > 0);
  const previous = declares && options.previous ? await options.previous() : undefined;
  const written = writeSchemaDir({ dir: options.dir, schema, decls, existing, schemas: options.schemas, dryRun: options.dryRun, previous });
  const counts: Record<string, number> = {};
  for (const d of decls) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return { schema, files: written.files, notes: written.notes, journals, counts };
};
