/** The pipeline's notices as the CLI prints them: stderr only, so `--format json` output stays clean. */
import type { Notifier } from '../project/notice.js';

export const stderrNotifier: Notifier = {
  slow: (text) => process.stderr.write(`keikaku: ${text}…\n`),
  warn: (text) => process.stderr.write(`keikaku: warning: ${text}\n`),
  debug: (text) => process.stderr.write(`keikaku: ${text}\n`),
};
