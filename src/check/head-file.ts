/**
 * `check`'s judgement of `generated/head.json` (`load/head-file.ts`): `generate` takes the file instead of replaying
 * the history, so CI replays it here and fails when the file says something else (stale after a history change,
 * or edited). A file written by another keikaku or PGlite is neither used nor compared: a warning.
 */
import { join } from 'node:path';
import { committedHead, HEAD_FILE } from '../load/head-file.js';
import type { Migration } from '../load/migrations.js';
import type { Schema } from '../model/schema.js';
import { differences } from '../verify/index.js';
import { repoPath, type Paths } from './findings.js';
import type { Finding } from './types.js';

/** The findings about head.json, given the history and the schema its replay made. */
export const headFileFindings = (generatedDir: string, migrations: readonly Migration[], replayed: Schema, paths: Paths): Finding[] => {
  const state = committedHead(generatedDir, migrations);
  const location = { file: repoPath(paths, join(generatedDir, HEAD_FILE)), line: 1, col: 1 };
  const fix = `delete generated/${HEAD_FILE} and run \`keikaku generate\`, which replays the history and writes it again`;
  const error = (message: string): Finding => ({ rule: 'head-file', level: 'error', message: `${message} (fix: ${fix})`, location });
  switch (state.kind) {
    case 'absent':
      return [];
    case 'unreadable':
      return [error(`${HEAD_FILE} cannot be read: ${state.reason}`)];
    case 'other-build':
      return [{ rule: 'head-file', level: 'warning', message: `${HEAD_FILE} was ${state.reason}: generate does not use it, and it was not compared; the next generate rewrites it`, location }];
    case 'other-history': {
      const h = state.head.history;
      return [error(`${HEAD_FILE} records another migration history (${h.migrations} migration(s), head ${h.head ?? '(none)'}) than generated/migrations (${migrations.length}, head ${migrations.at(-1)?.id ?? '(none)'})`)];
    }
    case 'current':
      return differences(replayed, state.head.schema).map((d) => error(`${HEAD_FILE} differs from the replayed history: ${d}`));
  }
};
