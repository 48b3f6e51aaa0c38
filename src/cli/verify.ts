/** `keikaku verify`: every migration up → down → up in the shadow. */
import type { ResolvedConfig } from '../config/index.js';
import { verify } from '../api.js';
import { formatVerifyJson, formatVerifyText } from '../verify/format.js';
import type { CommandOutput } from './options.js';
import { shownPath } from './shown-path.js';
import { stderrNotifier } from './notice.js';

export const runVerify = async (config: ResolvedConfig, args: { readonly format: 'text' | 'json' }): Promise<CommandOutput> => {
  const report = await verify({ config, generatedDir: shownPath(config.generatedDir), notify: stderrNotifier });
  return { stdout: args.format === 'json' ? formatVerifyJson(report) : formatVerifyText(report), exitCode: report.exitCode };
};
