/**
 * After `generate`, the history it extended is not replayed again by the next `plan`: the declared schema, as
 * normalized, is kept as the new history's schema. It must be what a replay makes (compared here with a real
 * replay), and only the edit loop reads it: `check` replays, so a prediction that is wrong (forged below) shows
 * in `plan` and not in `check`.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, generate, plan, projectConfig } from '../../src/api.js';
import { diff } from '../../src/diff/index.js';
import { describeChange } from '../../src/model/describe.js';
import { cacheKey, writeCached } from '../../src/load/cache.js';
import { historySchema } from '../../src/load/history-schema.js';
import { readHistory, upFiles } from '../../src/load/migrations.js';
import { project, removeProjects } from '../cli/tmp-project.js';
import { ensureBuilt } from './built.js';

afterAll(removeProjects);
beforeAll(ensureBuilt, 600_000);

const SCHEMA = `import { enumType, index, integer, jsonb, table, text } from 'keikaku';
export const mood = enumType('mood', ['ok', 'meh']);
export const t = table('t', { id: integer().primaryKey(), name: text().notNull(), doc: jsonb(), mood: mood() }, (t) => [index().using('gin').on(t.doc)]);
`;

describe('the history predicted by generate', () => {
  it('equals the replay of the new history; plan reads it, check does not', { timeout: 300_000 }, async () => {
    const config = await projectConfig({ root: project({ 't.ts': SCHEMA }) });
    const written = await generate({ config, name: 'first', now: new Date('2026-12-01T00:00:00Z') });
    expect(written.kind).toBe('written');
    writeFileSync(join(config.schemaDir, 't.ts'), SCHEMA.replace("'meh']", "'meh', 'great']").replace('doc: jsonb()', 'doc: jsonb(), note: text()'));
    expect((await generate({ config, name: 'second', now: new Date('2026-12-02T00:00:00Z') })).kind).toBe('written');

    const { migrations } = readHistory(config.generatedDir);
    const predicted = await historySchema(migrations, { cacheRoot: config.root, acceptPredicted: true });
    const replayed = await historySchema(migrations, {});
    expect(diff(replayed, predicted).changes.map(describeChange)).toEqual([]);
    expect((await plan({ config })).steps).toEqual([]);

    // A forged prediction (a table the history never made): plan believes it, check replays and is in sync. The
    // committed head (generated/head.json) comes before the prediction: without it, plan reads the prediction.
    rmSync(join(config.generatedDir, 'head.json'));
    const allSql = migrations.flatMap((m) => upFiles(m).map((f) => m.files.get(f)!)).join('\n');
    const forged = { ...predicted, tables: [...predicted.tables, { ...predicted.tables[0]!, name: 'ghost' }] };
    writeCached(config.root, cacheKey(['history-predicted', 'pglite', allSql]), forged);
    expect((await plan({ config })).steps.map((s) => describeChange(s.change))).toEqual(['drop table public.ghost']);
    const report = await check({ config, lint: false });
    expect(report.exitCode).toBe(0);
    expect(readdirSync(join(config.generatedDir, 'migrations'))).toHaveLength(2);
  });
});
