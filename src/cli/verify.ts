/** `keikaku verify`: every migration up → down → up in the shadow. */
import type { ResolvedConfig } from '../config/index.js';
import { verify } from '../verify/index.js';
import { formatVerifyJson, formatVerifyText } from '../verify/format.js';
import type { CommandOutput } from './options.js';
import { shownPath } from './shown-path.js';
import { embeddedNote, withSlowNotice } from './slow-notice.js';

export const runVerify = async (config: ResolvedConfig, args: { readonly format: 'text' | 'json' }): Promise<CommandOutput> => {
  const report = await withSlowNotice(
    `verifying: replaying every migration up, down and up again${embeddedNote(config.shadowUrl)}`,
    verify(shownPath(config.generatedDir), { shadowUrl: config.shadowUrl, cacheRoot: config.root }),
  );
  return { stdout: args.format === 'json' ? formatVerifyJson(report) : formatVerifyText(report), exitCode: report.exitCode };
};
