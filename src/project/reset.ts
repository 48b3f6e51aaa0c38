/**
 * `reset`: a development database emptied (see src/history/reset.ts), before `apply` brings it to the head again.
 * It destroys rows, so never on a production database (by flag, environment or the database's own mark), and only
 * after `confirm` has been told what goes.
 */
import { refuseOnStandby } from '../apply/standby.js';
import type { LockHolder } from '../apply/lock.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { databaseContents, emptyDatabase } from '../history/reset.js';
import { resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './target.js';

export interface ResetOptions extends TargetArgs {
  /** Told what would be dropped (`schemas public, billing with 12 tables and about 4,000 rows`); throws to stop. */
  readonly confirm: (target: Target, what: string) => Promise<void>;
  readonly onWait?: ((holder: LockHolder | undefined) => void) | undefined;
}

/** Empties the database; returns the schemas dropped. The caller applies the migrations next. */
export const emptyDevelopmentDatabase = async (config: ResolvedConfig, o: ResetOptions): Promise<{ readonly target: Target; readonly dropped: readonly string[] }> => {
  const given = resolveTarget(config, o);
  const db = await connectPg(given.url);
  try {
    const target = await withDatabaseMark(given, db);
    await refuseOnStandby(db, target.label, 'empty');
    if (target.production) {
      const why = { flag: '--production', config: 'its environment in keikaku.config.ts', database: 'the database is marked (keikaku env mark production)' }[target.productionBy ?? 'database'];
      throw new UserError(`refusing to reset ${target.label}: it is a production database (${why}); reset is for development databases only`, 3);
    }
    const c = await databaseContents(db);
    const what = `${c.schemas.length ? `schema${c.schemas.length === 1 ? '' : 's'} ${c.schemas.join(', ')}` : 'nothing (it is empty)'} with ${c.tables} table${c.tables === 1 ? '' : 's'} and about ${c.rows} row${c.rows === 1 ? '' : 's'}`;
    await o.confirm(target, what);
    const dropped = await emptyDatabase(db, o.onWait ?? (() => undefined));
    return { target, dropped };
  } finally {
    await db.close().catch(() => undefined);
  }
};
