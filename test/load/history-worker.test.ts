/**
 * The history replayed on a worker thread (embedded shadow) must read back exactly what the same replay gives on
 * the main thread, and a rejected statement must still be reported at its file and line.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runInWorker } from '../../src/db/worker.js';
import { historySchema } from '../../src/load/history-schema.js';
import type { Schema } from '../../src/model/schema.js';
import { readHistory, upFiles } from '../../src/load/migrations.js';
import { projectRoot } from '../support/paths.js';

const saved = process.env.KEIKAKU_NO_WORKER;
afterEach(() => {
  if (saved === undefined) delete process.env.KEIKAKU_NO_WORKER;
  else process.env.KEIKAKU_NO_WORKER = saved;
});

describe('history replay on a worker thread', () => {
  it('reads back the same schema as the replay on the main thread', async () => {
    const { migrations } = readHistory(join(projectRoot, 'generated'));
    expect(migrations.length).toBeGreaterThan(1);
    // Called directly, so that a worker that fails (and the fallback that hides it) cannot pass this test.
    const threaded = await runInWorker<Schema>(new URL('../../src/load/history-schema.ts', import.meta.url), 'replayEmbedded', migrations);
    process.env.KEIKAKU_NO_WORKER = '1';
    const here = await historySchema(migrations);
    expect(threaded.tables.length).toBeGreaterThan(5);
    expect(threaded).toEqual(here);
  });

  it('reports a rejected statement at its file and line, as on the main thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kk-history-'));
    try {
      cpSync(join(projectRoot, 'generated'), dir, { recursive: true });
      const { migrations } = readHistory(dir);
      const last = migrations[migrations.length - 1]!;
      const file = join(last.dir, upFiles(last)[0]!);
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, `${text}\nALTER TABLE no_such_table ADD COLUMN x int;\n`);
      const lineOfBad = text.split('\n').length + 1;
      delete process.env.KEIKAKU_NO_WORKER;
      await expect(historySchema(readHistory(dir).migrations)).rejects.toThrow(
        new RegExp(`${upFiles(last)[0]!.replace('.', '\\.')}:${lineOfBad}:.*no_such_table`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
