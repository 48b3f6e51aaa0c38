/**
 * `pull` as data: the target chosen (as every command chooses it) and guarded, `schema/*.ts` written from the
 * database, and when `generated/` has no migration yet, the baseline written (through `emit/write.ts`) and recorded
 * as applied on the database.
 */
import { refuseOnStandby } from '../apply/standby.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { readHistory } from '../load/migrations.js';
import { loadSchemaDir } from '../load/schema-dir.js';
import { normalize } from '../load/shadow.js';
import { baseline, type BaselineOutcome } from '../pull/baseline.js';
import { pull, type PullResult } from '../pull/index.js';
import { migrationStamp } from '../emit/migration-id.js';
import { recordProductionMark, guardProduction, resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './target.js';

export interface PullProjectOptions extends TargetArgs {
  /** The schema directory to write, absolute (default: the config's `schemaDir`). */
  readonly out?: string | undefined;
  /** Only these Postgres schemas (default: every user schema). */
  readonly schemas?: readonly string[] | undefined;
  /** Write the baseline when `generated/` has no migration yet (default true). */
  readonly baseline?: boolean | undefined;
  /** Report what would change; write no file, no migration, no journal. */
  readonly dryRun?: boolean | undefined;
  /** Writing a baseline to a production database is allowed without `confirm` being asked. */
  readonly yes?: boolean | undefined;
  /** Asked before a baseline is written to a production database; throws to stop. Default: refused (exit 3). */
  readonly confirm?: ((target: Target) => Promise<void>) | undefined;
  /** The baseline's clock. */
  readonly now?: Date | undefined;
  /** Just before the files are written (the CLI removes init's untouched example here); its result is returned. */
  readonly beforeWrite?: ((out: string) => string | undefined) | undefined;
  /** The existing schema directory could not be read; declarations that differ from the database's are rewritten. */
  readonly onUnreadable?: ((reason: string) => void) | undefined;
  /** Another keikaku holds the apply lock: the baseline waits. */
  readonly onWait?: (() => void) | undefined;
}

export interface PulledProject {
  readonly target: Target;
  readonly out: string;
  readonly result: PullResult;
  readonly baseline: BaselineOutcome | { readonly kind: 'skipped' };
  /** What `beforeWrite` returned. */
  readonly prepared: string | undefined;
}

export const pullProject = async (config: ResolvedConfig, o: PullProjectOptions): Promise<PulledProject> => {
  const out = o.out ?? config.schemaDir;
  const dryRun = o.dryRun === true;
  const given = resolveTarget(config, o);
  const db = await connectPg(given.url);
  try {
    // The baseline is written to the database (its journal): a production database is guarded before anything
    // is written, files included.
    const target = await withDatabaseMark(given, db);
    const wantsBaseline = o.baseline !== false && !dryRun;
    if (wantsBaseline && readHistory(config.generatedDir).migrations.length === 0) {
      await refuseOnStandby(db, target.label, 'write a baseline (`--no-baseline` reads it only) to');
      await guardProduction(target, o, `refusing to write a baseline to production database ${target.label}`);
    }
    // A first pull into files written by hand compares objects, not text: the files are normalized in a scratch
    // database on the same server (or the configured shadow), so what means the same stays as written.
    const previous = async () => {
      try {
        return await normalize(await loadSchemaDir(out, { cwd: config.root }), { shadowUrl: config.shadowUrl ?? given.url });
      } catch (e) {
        o.onUnreadable?.((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '');
        return undefined;
      }
    };
    const prepared = dryRun ? undefined : o.beforeWrite?.(out);
    const result = await pull(db, { dir: out, schemas: o.schemas?.length ? o.schemas : null, dryRun, previous });
    const b = wantsBaseline
      ? await baseline(db, result.schema, { generatedDir: config.generatedDir, stamp: migrationStamp(o.now ?? new Date()), markDatabase: true, onWait: o.onWait })
      : ({ kind: 'skipped' } as const);
    if (b.kind === 'written') await recordProductionMark(target, db);
    return { target, out, result, baseline: b, prepared };
  } finally {
    await db.close();
  }
};
