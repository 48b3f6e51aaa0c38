/** `keikaku check`: the CI gate, in the format CI or a person reads. */
import { readFileSync } from 'node:fs';
import { check, type Linter } from '../check/index.js';
import { formatGithub, formatJson, formatText } from '../check/format.js';
import { formatSarif } from '../check/sarif.js';
import type { LiveShadow } from '../check/live.js';
import type { ResolvedConfig } from '../config/index.js';
import { lintSql } from '../lint/index.js';
import { resolveTarget } from './apply.js';
import type { CommandOutput } from './options.js';
import { embeddedNote, withSlowNotice } from './slow-notice.js';

export type CheckFormat = 'text' | 'json' | 'github' | 'sarif';

export interface CheckArgs {
  readonly databaseUrl?: string | undefined;
  /** An environment of keikaku.config.ts whose database to check. */
  readonly env?: string | undefined;
  readonly format: CheckFormat;
  readonly liveShadow?: LiveShadow;
  /** Lint every migration file (`keikaku lint`); its findings are warnings. Default true. */
  readonly lint?: boolean;
}

/** `keikaku lint` as `check` runs it: files applied by keikaku, findings not acknowledged by `keikaku:allow`. */
const lintMigration: Linter = async (sql, file, context) =>
  (await lintSql(sql, file, { appliedByKeikaku: true, contextFiles: context })).filter((f) => !f.allowed);

/**
 * The database to check: `--database-url`, else `--env NAME` (resolved as `apply` does). Unlike `apply`, `check`
 * reads DATABASE_URL only through an environment: run in CI without a flag, it checks the repository alone.
 */
export const checkTarget = (config: ResolvedConfig, args: Pick<CheckArgs, 'databaseUrl' | 'env'>): string | undefined =>
  args.databaseUrl === undefined && args.env === undefined ? undefined : resolveTarget(config, args).url;

const toolVersion = (): string => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
};

export const runCheck = async (config: ResolvedConfig, args: CheckArgs): Promise<CommandOutput> => {
  const databaseUrl = checkTarget(config, args);
  const report = await withSlowNotice(
    `checking: replaying the migrations and normalizing schema/${databaseUrl ? ', reading the database' : ''}${embeddedNote(config.shadowUrl)}`,
    check(config, {
      databaseUrl,
      ...(args.liveShadow ? { liveShadow: args.liveShadow } : {}),
      lint: args.lint === false ? undefined : lintMigration,
    }),
  );
  const stdout =
    args.format === 'json'
      ? formatJson(report)
      : args.format === 'github'
        ? formatGithub(report)
        : args.format === 'sarif'
          ? formatSarif(report, toolVersion())
          : formatText(report);
  return { stdout, exitCode: report.exitCode };
};
