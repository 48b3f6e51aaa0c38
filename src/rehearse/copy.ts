/**
 * The copy a rehearsal runs on, made from the source without writing to it, in the first way that works:
 * 1. `template`: `CREATE DATABASE scratch TEMPLATE source` on the source's server (a file-level copy, seconds for
 *    gigabytes). PostgreSQL refuses while any other session is connected to the source, so those are named first;
 * 2. `dump`: `pg_dump -Fc | pg_restore` into a scratch database on the source's server, or on `scratchUrl` (a local
 *    server of the same major); with `sample`, the schema by pg_restore and at most `sample` rows a table
 *    (sample.ts);
 * 3. `provider`: the commands of keikaku.config.ts (`rehearse: { create, url, drop }`), e.g. a branch of the database
 *    at the hosting provider.
 * A scratch copy is named and swept like every scratch database (src/db/scratch.ts) and dropped on exit and signals.
 */
import { onCleanup } from '../db/cleanup.js';
import { pgErrorFields, UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { createScratchDatabase, withDatabase, type ScratchDatabase } from '../db/scratch.js';
import { scratchName } from '../db/scratch-name.js';
import type { Db } from '../db/types.js';
import { describeTarget, parsePgUrl } from '../db/url.js';
import { copySample, copySequenceValues } from './sample.js';
import { dumpRestore, runProviderCommand, toolMajor } from './tools.js';

export type CopyMethod = 'template' | 'dump' | 'provider';

export interface ProviderCommands {
  /** Makes the copy (e.g. a branch); KEIKAKU_REHEARSAL_NAME names it. */
  readonly create?: string;
  /** Prints the copy's URL on standard output. */
  readonly url: string;
  /** Removes it; always run once `create` was. */
  readonly drop?: string;
}

export interface CopyOptions {
  readonly sourceUrl: string;
  /** Only this way (default: the first that works, in the order above; `sample` skips `template`). */
  readonly method?: CopyMethod | undefined;
  /** At most this many rows of each table (dump only). */
  readonly sample?: number | undefined;
  /** Another server for the dump's scratch database (same major as the source). */
  readonly scratchUrl?: string | undefined;
  readonly provider?: ProviderCommands | undefined;
  /** Where provider commands run (the project's directory). */
  readonly cwd: string;
  /** Told why a way was not taken before the next is tried. */
  readonly note?: ((text: string) => void) | undefined;
}

export interface RehearsalCopy {
  readonly method: CopyMethod;
  readonly url: string;
  /** `dump` with a sample: rows copied per `schema.table`; undefined for a whole copy. */
  readonly sampled: ReadonlyMap<string, number> | undefined;
  /** Why earlier ways were not taken, and what pg_restore could not restore. */
  readonly notes: readonly string[];
  /** Removes the copy (idempotent). */
  drop(): Promise<void>;
}

/** One session of the source named for a message: `pid 4711 (user app, psql, idle in transaction)`. */
interface Session {
  readonly pid: number;
  readonly usename: string | null;
  readonly application_name: string | null;
  readonly state: string | null;
}

const describeSession = (s: Session) =>
  `pid ${s.pid} (${[s.usename ? `user ${s.usename}` : '', s.application_name || '', s.state || ''].filter(Boolean).join(', ')})`;

/** A connection to the source's server that is not a session on the source itself. */
const maintenanceUrl = (sourceUrl: string, database: string) => withDatabase(sourceUrl, database === 'postgres' ? 'template1' : 'postgres');

/**
 * `CREATE DATABASE … TEMPLATE source`. A refusal is a reason (a sentence) for the next way; anything else throws.
 */
const copyByTemplate = async (sourceUrl: string, database: string): Promise<ScratchDatabase | string> => {
  const adminUrl = maintenanceUrl(sourceUrl, database);
  let sessions: Session[];
  try {
    const admin = await connectPg(adminUrl);
    try {
      sessions = await admin.query<Session>(
        `SELECT pid, usename, application_name, state FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid`,
        [database],
      );
    } finally {
      await admin.close();
    }
  } catch (error) {
    return `the server's maintenance database could not be reached (${error instanceof Error ? error.message : String(error)})`;
  }
  if (sessions.length)
    return (
      `CREATE DATABASE … TEMPLATE ${database} needs no other session on ${database}, and ${sessions.length} ${sessions.length === 1 ? 'is' : 'are'} connected: ` +
      `${sessions.slice(0, 5).map(describeSession).join('; ')}${sessions.length > 5 ? `; and ${sessions.length - 5} more` : ''}`
    );
  try {
    return await createScratchDatabase(adminUrl, { template: database });
  } catch (error) {
    const code = pgErrorFields((error as Error).cause)?.code;
    if (code === '55006') return `a session connected to ${database} while it was being copied (CREATE DATABASE … TEMPLATE needs none)`;
    if (code === '42501') return `the role may not copy ${database} (CREATE DATABASE … TEMPLATE needs CREATEDB and ownership of ${database}, or a superuser)`;
    return error instanceof Error ? error.message : String(error);
  }
};

const serverMajor = async (db: Db): Promise<number> =>
  Math.floor(Number((await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`))[0]!.v) / 10_000);

/** pg_dump | pg_restore into a scratch database; with `sample`, schema by pg_restore and rows by sample.ts. */
const copyByDump = async (o: CopyOptions, source: Db, database: string, notes: string[]): Promise<{ scratch: ScratchDatabase; sampled?: ReadonlyMap<string, number> } | string> => {
  const major = await serverMajor(source);
  const [dumpMajor, restoreMajor] = await Promise.all([toolMajor('pg_dump'), toolMajor('pg_restore')]);
  if (dumpMajor === undefined || restoreMajor === undefined) return 'pg_dump and pg_restore are not both installed';
  if (dumpMajor < major) return `pg_dump ${dumpMajor} cannot dump a PostgreSQL ${major} server (it needs pg_dump ${major} or newer)`;
  let scratch: ScratchDatabase;
  const on = o.scratchUrl ?? maintenanceUrl(o.sourceUrl, database);
  try {
    scratch = await createScratchDatabase(on);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  try {
    const scratchMajor = await serverMajor(scratch.db);
    if (scratchMajor !== major) throw new UserError(`the scratch server ${describeTarget(on)} is PostgreSQL ${scratchMajor}, the source ${major}: a rehearsal needs the same major`);
    // Another server may lack the source's roles: objects are then owned by whoever restores them.
    const foreign = o.scratchUrl !== undefined;
    const restoreArgs = ['--no-owner', ...(foreign ? ['--no-acl'] : [])];
    if (o.sample === undefined) {
      notes.push(...(await dumpRestore(o.sourceUrl, scratch.url, { restoreArgs })).warnings);
      return { scratch };
    }
    notes.push(...(await dumpRestore(o.sourceUrl, scratch.url, { dumpArgs: ['--section=pre-data'], restoreArgs })).warnings);
    const sampled = await copySample(source, scratch.db, o.sample);
    await copySequenceValues(source, scratch.db);
    notes.push(...(await dumpRestore(o.sourceUrl, scratch.url, { dumpArgs: ['--section=post-data'], restoreArgs })).warnings);
    return { scratch, sampled: sampled.rows };
  } catch (error) {
    await scratch.drop().catch(() => undefined);
    throw error;
  }
};

const copyByProvider = async (o: CopyOptions, p: ProviderCommands): Promise<RehearsalCopy> => {
  const name = scratchName().replace('keikaku_shadow_', 'keikaku_rehearsal_');
  let created = false;
  let dropping: Promise<void> | undefined;
  const drop = () =>
    (dropping ??= (async () => {
      unregister();
      if (created && p.drop) await runProviderCommand('drop', p.drop, o.cwd, name);
    })());
  // Registered before `create` runs: a signal meanwhile still runs `drop` once `create` has finished.
  const unregister = onCleanup(`rehearsal copy ${name} (rehearse.drop)`, () => drop());
  try {
    created = true;
    if (p.create) await runProviderCommand('create', p.create, o.cwd, name);
    const url = (await runProviderCommand('url', p.url, o.cwd, name)).trim().split('\n').pop()?.trim() ?? '';
    parsePgUrl(url);
    return { method: 'provider', url, sampled: undefined, notes: [], drop };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
};

/**
 * Makes the copy. `source` is an open connection to the source, used only to read (it is closed by the caller
 * before a template copy: PostgreSQL counts it as a session).
 */
export const makeCopy = async (o: CopyOptions, source: () => Promise<Db>): Promise<RehearsalCopy> => {
  const database = parsePgUrl(o.sourceUrl).target.database;
  const notes: string[] = [];
  const skip = (why: string) => {
    notes.push(why);
    o.note?.(why);
  };
  if (o.method === 'template' && (o.sample !== undefined || o.scratchUrl !== undefined))
    throw new UserError(`--copy template copies every row on the source's own server: it cannot take ${o.sample !== undefined ? '--sample' : '--scratch-url'} (use --copy dump)`);
  if (o.method === 'provider' && o.scratchUrl !== undefined) throw new UserError('--copy provider: the provider commands make the copy; --scratch-url is for --copy dump');
  const wanted = (m: CopyMethod) => o.method === undefined || o.method === m;
  if (wanted('template')) {
    if (o.sample !== undefined) skip('--sample: a TEMPLATE copy takes every row, so the copy is made with pg_dump');
    else if (o.scratchUrl !== undefined) skip('--scratch-url: the copy is made with pg_dump on that server');
    else {
      const made = await copyByTemplate(o.sourceUrl, database);
      if (typeof made !== 'string') return await wrap('template', made, undefined, notes);
      if (o.method === 'template') throw new UserError(`cannot copy ${describeTarget(o.sourceUrl)} by TEMPLATE: ${made}`);
      skip(`not copied by TEMPLATE: ${made}; copying with pg_dump | pg_restore instead`);
    }
  }
  if (wanted('dump')) {
    const db = await source();
    try {
      const made = await copyByDump(o, db, database, notes);
      if (typeof made !== 'string') return await wrap('dump', made.scratch, made.sampled, notes);
      if (o.method === 'dump' || !o.provider) throw new UserError(`cannot copy ${describeTarget(o.sourceUrl)} with pg_dump | pg_restore: ${made}`);
      skip(`not copied with pg_dump | pg_restore: ${made}; using rehearse.create / url / drop of keikaku.config.ts`);
    } finally {
      await db.close();
    }
  }
  if (!o.provider) throw new UserError('--copy provider: keikaku.config.ts has no rehearse: { create, url, drop } commands');
  if (o.sample !== undefined) skip('--sample is not applied to a copy made by the provider commands');
  const made = await copyByProvider(o, o.provider);
  return { ...made, notes: [...notes, ...made.notes] };
};

const wrap = async (method: CopyMethod, s: ScratchDatabase, sampled: ReadonlyMap<string, number> | undefined, notes: readonly string[]): Promise<RehearsalCopy> => {
  // The rehearsal opens its own sessions on the copy; this one only made it (and would block a TEMPLATE copy of it).
  await s.db.close().catch(() => undefined);
  return { method, url: s.url, sampled, notes, drop: () => s.drop() };
};
