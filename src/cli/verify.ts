/** `keikaku verify`: every migration up → down → up in the shadow. */
import { isAbsolute, relative } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { verify } from '../verify/index.js';
import { formatVerifyJson, formatVerifyText } from '../verify/format.js';
import type { CommandOutput } from './options.js';

/** The generated directory as messages should name it: relative to where the user stands, when inside it. */
const shown = (dir: string): string => {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : dir;
};

export const runVerify = async (config: ResolvedConfig, args: { readonly format: 'text' | 'json' }): Promise<CommandOutput> => {
  const report = await verify(shown(config.generatedDir), { shadowUrl: config.shadowUrl, cacheRoot: config.root });
  return { stdout: args.format === 'json' ? formatVerifyJson(report) : formatVerifyText(report), exitCode: report.exitCode };
};
