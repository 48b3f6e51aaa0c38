/**
 * The production mark kept in the database (keikaku.environment_mark), which guards every route to it whatever URL
 * text reaches it: written, removed (itself guarded), and read with the server's identity.
 */
import { refuseOnStandby } from '../apply/standby.js';
import { localIdentity } from '../apply/journal.js';
import { readMarks, removeMark, serverIdentity, writeMark, type MarkKind } from '../apply/mark.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { guardProduction, resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './target.js';

export interface MarkOptions extends TargetArgs {
  readonly kind: MarkKind;
}

export type ServerIdentity = Awaited<ReturnType<typeof serverIdentity>>;
export type DatabaseMark = Awaited<ReturnType<typeof readMarks>>[number];

export const markDatabase = async (config: ResolvedConfig, o: MarkOptions): Promise<{ readonly target: Target; readonly server: ServerIdentity }> => {
  const target = resolveTarget(config, o);
  const db = await connectPg(target.url);
  try {
    await refuseOnStandby(db, target.label, 'mark');
    await writeMark(db, o.kind, localIdentity());
    return { target, server: await serverIdentity(db) };
  } finally {
    await db.close();
  }
};

export interface UnmarkOptions extends MarkOptions {
  readonly yes?: boolean | undefined;
  /** Asked before the mark of a production database is removed (unless `yes`); throws to stop. Default: refused (exit 3). */
  readonly confirm?: ((target: Target) => Promise<void>) | undefined;
}

export const unmarkDatabase = async (config: ResolvedConfig, o: UnmarkOptions): Promise<{ readonly target: Target; readonly removed: boolean }> => {
  const given = resolveTarget(config, o);
  const db = await connectPg(given.url);
  try {
    // Removing the mark opens the guard: it is guarded itself.
    const target = await withDatabaseMark(given, db);
    await refuseOnStandby(db, target.label, 'remove the production mark of');
    await guardProduction(target, o, `refusing to remove the production mark of production database ${target.label}`);
    return { target, removed: await removeMark(db, o.kind) };
  } finally {
    await db.close();
  }
};

export interface Marks {
  readonly target: Target;
  readonly server: ServerIdentity;
  readonly marks: readonly DatabaseMark[];
  /** Marks written on another cluster: this database is a copy (pg_dump, a restored backup). */
  readonly copied: readonly DatabaseMark[];
}

export const readDatabaseMarks = async (config: ResolvedConfig, o: TargetArgs): Promise<Marks> => {
  const given = resolveTarget(config, o);
  const db = await connectPg(given.url);
  try {
    const [marks, server, target] = [await readMarks(db), await serverIdentity(db), await withDatabaseMark(given, db)];
    const copied = marks.filter((m) => m.systemIdentifier !== null && server.systemIdentifier !== null && m.systemIdentifier !== server.systemIdentifier);
    return { target, server, marks, copied };
  } finally {
    await db.close();
  }
};
