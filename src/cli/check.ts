/** `keikaku check`: the CI gate, in the format CI or a person reads. */
import { readFileSync } from 'node:fs';
import { check } from '../api.js';
import { formatGithub, formatJson, formatText } from '../check/format.js';
import { formatSarif } from '../check/sarif.js';
import type { LiveShadow } from '../check/live.js';
import type { ResolvedConfig } from '../config/index.js';
import type { CommandOutput } from './options.js';
import { stderrNotifier } from './notice.js';

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

const toolVersion = (): string => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
};

export const runCheck = async (config: ResolvedConfig, args: CheckArgs): Promise<CommandOutput> => {
  const report = await check({ config, databaseUrl: args.databaseUrl, env: args.env, liveShadow: args.liveShadow, lint: args.lint, notify: stderrNotifier });
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
