/** `keikaku generate --empty NAME`: a migration folder to fill by hand, signed in migrations.sum. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { renderHandWritten } from '../emit/hand-written.js';
import { nextMigrationId } from '../emit/migration-id.js';
import { readHistory, renderSum, SUM_FILE, type Migration } from '../load/migrations.js';
import type { CommandOutput } from './options.js';
import { assertHistory } from './project.js';
import { shownPath } from './shown-path.js';

export interface EmptyMigrationArgs {
  readonly name: string;
  readonly format: 'text' | 'json';
  readonly now: Date;
}

export const runEmptyMigration = (config: ResolvedConfig, args: EmptyMigrationArgs): CommandOutput => {
  const history = readHistory(config.generatedDir);
  assertHistory(history);
  const parent = history.migrations.at(-1)?.id ?? null;
  const id = nextMigrationId(parent, args.now, args.name);
  const files = renderHandWritten({ id, parent });
  const dir = join(config.generatedDir, 'migrations', id);
  const migration: Migration = { id, dir, plan: JSON.parse(files.get('plan.json')!), files };
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  writeFileSync(join(config.generatedDir, SUM_FILE), renderSum([...history.migrations, migration]));
  const written = [...files.keys()].filter((f) => f.endsWith('.sql'));
  if (args.format === 'json') return { stdout: `${JSON.stringify({ id, dir: shownPath(dir), handWritten: true, files: [...files.keys()] }, null, 2)}\n`, exitCode: 0 };
  return {
    stdout:
      `Wrote ${shownPath(dir)}/ (written by hand: ${written.join(', ')}, plan.json, plan.md)\n` +
      'Fill in the SQL, then run `keikaku rehash` to sign it and `keikaku check` to lint it.\n',
    exitCode: 0,
  };
};
