/**
 * Incremental normalization over a sample of the shared corpus's schema pairs (every
 * KEIKAKU_INCREMENTAL_CORPUS_EVERY-th case, default 50), on the server: current and desired SQL pulled into the
 * DSL, the desired schema normalized in full and incrementally from the current one's; the two must be equal
 * (or the incremental way gives up). The full run over every pair is `node test/load/incremental-corpus-report.mjs`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { corpusAvailable, loadCorpus, reportCorpusMissing } from '../support/corpus.js';
import { projectRoot } from '../support/paths.js';
import { ensureBuilt } from './built.js';
import { judgeIncremental } from './incremental-judge.js';

const EVERY = Number(process.env.KEIKAKU_INCREMENTAL_CORPUS_EVERY ?? 50);
const sample = loadCorpus().filter((_, i) => i % EVERY === 0);
const server = (await backends()).find((b) => b.name === 'server');
const tmp = join(projectRoot, 'test', `.tmp-incremental-corpus-${process.pid}`);

reportCorpusMissing('incremental normalization over the corpus sample');

describe.runIf(server && corpusAvailable)('incremental normalization over the corpus sample (server)', () => {
  beforeAll(() => ensureBuilt());
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(sample.map((c, i) => [c.id, c, i] as const))('%s', async (_id, c, i) => {
    const verdict = await judgeIncremental(server!.serverUrl!, c, join(tmp, String(i)));
    expect(verdict.kind === 'differs' ? verdict.detail : 'same').toBe('same');
  });
});
