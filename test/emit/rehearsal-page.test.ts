/**
 * The review page of a rehearsal (`rehearse --format html`, src/emit/html-page.ts + html-rehearsal.ts): hostile
 * names stay text; and, with a server, a real rehearsal's page renders in headless Chromium with no console
 * message, is screenshotted light and dark (paths printed), and shows the numbers of the JSON report of the same
 * rehearsal (each step's time, forecast, wait, failed statements, rows/s, rewrite, WAL; the round trip).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rehearse } from '../../src/api.js';
import { rehearsalJson } from '../../src/cli/rehearse.js';
import { renderRehearsalPage, type RehearsalFigures } from '../../src/emit/html-page.js';
import type { PlanJson } from '../../src/emit/migration.js';
import { removeTempDirs } from '../apply/support.js';
import { backends } from '../support/backends.js';
import { findChromium, firstPixel, renderInChromium } from '../support/chromium.js';
import { CHANGE_STEPS, change, makeSource } from '../rehearse/support.js';

afterAll(removeTempDirs);

const hostile = 'x</code><img src=x onerror="alert(1)"><script>alert(2)</script>\n-- */ \u001b[31m\u202e\'"&amp;';

const plan = (id: string): PlanJson => ({
  format: 'keikaku-plan/1',
  id,
  parent: null,
  renames: [],
  strategy: 'phased',
  phases: [
    {
      name: 'expand',
      steps: [
        {
          change: 'alter_column',
          object: `alter column public.${hostile}.v`,
          sql: [`ALTER TABLE "${hostile}" ALTER COLUMN v TYPE bigint;`],
          reverse: [`ALTER TABLE "${hostile}" ALTER COLUMN v TYPE int;`],
          hazards: [{ code: 'TABLE_REWRITE', message: `rewrites ${hostile}`, size: { table: `public.${hostile}`, rows: 1000, bytes: 65536 } }],
          lock: 'access_exclusive',
          transactional: true,
        },
      ],
    },
  ],
});

const figures = (id: string): RehearsalFigures => ({
  source: `postgres://u@h:5432/${hostile}`,
  copy: { method: 'template', url: 'postgres://u@h:5432/copy', sampleRows: null, notes: [`note ${hostile}`] },
  lockTimeoutMs: 2000,
  steps: [
    {
      migration: id,
      phase: 'expand',
      step: 1,
      description: `retype ${hostile}`,
      durationMs: 1234,
      maxLockWaitMs: 1100,
      failedStatements: 0,
      workloadStatements: 40,
      rowsPerSecond: null,
      rewrote: true,
      rewroteTables: [`public.${hostile}`],
      walBytes: 3 << 20,
      forecastMs: 1234,
      exceedsLockTimeout: false,
      failed: false,
      planSteps: [0],
      tables: [`public.${hostile}`],
    },
  ],
  failure: null,
  roundTrip: { downMs: 10, upMs: 20, ok: false, tables: [{ table: `public.${hostile}`, rowsBefore: 1, rowsAfterDown: 1, rowsAfterUp: 1, downRestored: true, upReapplied: false, differ: [hostile] }] },
  findings: [`lost ${hostile}`],
});

describe('the rehearsal page as text', () => {
  it('keeps hostile names and messages text, and is the same bytes for the same figures', () => {
    const id = `20260101000000_${hostile}`;
    const page = renderRehearsalPage({ migrations: [{ id, plan: plan(id) }], rehearsal: figures(id) });
    expect(page).not.toMatch(/<img|<script|onerror="/i);
    expect(page).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(page).toContain('data-duration-ms="1234" data-forecast-ms="1234" data-max-lock-wait-ms="1100"');
    expect(page).toContain('<td class="measured" data-duration-ms="1234" data-forecast-ms="1234">');
    expect(page).toBe(renderRehearsalPage({ migrations: [{ id, plan: plan(id) }], rehearsal: figures(id) }));
  });
});

const chromium = findChromium();
const server = (await backends()).find((b) => b.name === 'server');
const why = !chromium ? 'chromium is not installed (Debian: apt-get install chromium)' : 'no PostgreSQL server (a rehearsal needs one)';
if (!chromium || !server) console.warn(`skipped: ${why}: the rehearsal page is not rendered`);

/** `<tag attrs>inner</tag>` of every element whose opening tag matches `open`. */
const elements = (dom: string, tag: string, open: RegExp): { attrs: string; inner: string }[] =>
  [...dom.matchAll(new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, 'g'))].filter((m) => open.test(m[1]!)).map((m) => ({ attrs: m[1]!, inner: m[2]! }));
const attr = (attrs: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1];
const text = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();

describe.skipIf(!chromium || !server)('the rehearsal page in headless Chromium', () => {
  it("renders a real rehearsal with no console message, light and dark, with the JSON report's numbers", async () => {
    const source = await makeSource(server!.serverUrl!, [change(300)], undefined, { '20260102000000_change': CHANGE_STEPS });
    try {
      const r = await rehearse({ root: source.root, databaseUrl: source.url, timeouts: { lockTimeoutMs: 5_000 } });
      const json = rehearsalJson(r);
      const html = renderRehearsalPage({ migrations: r.plans, rehearsal: r });
      const page = await renderInChromium(chromium!, html, mkdtempSync(join(tmpdir(), 'kk-rehearsal-page-')), 'rehearsal');
      console.log(`rehearsal page screenshots: ${page.light} ${page.dark}`);
      expect(page.console).toEqual([]);
      const rows = elements(page.dom, 'tr', /data-rehearsed=/);
      expect(rows.map((row) => attr(row.attrs, 'data-rehearsed'))).toEqual(json.steps.map((s) => `${s.migration}/${s.phase}/${s.step}`));
      rows.forEach((row, i) => {
        const s = json.steps[i]!;
        expect(Number(attr(row.attrs, 'data-duration-ms'))).toBe(s.durationMs);
        expect(Number(attr(row.attrs, 'data-forecast-ms'))).toBe(s.forecastMs);
        expect(Number(attr(row.attrs, 'data-max-lock-wait-ms'))).toBe(s.maxLockWaitMs);
        expect(Number(attr(row.attrs, 'data-failed-statements'))).toBe(s.failedStatements);
        expect(attr(row.attrs, 'data-rewrote')).toBe(String(s.rewrote));
        expect(attr(row.attrs, 'data-wal-bytes')).toBe(s.walBytes === null ? '' : String(s.walBytes));
        expect(attr(row.attrs, 'data-rows-per-second')).toBe(s.rowsPerSecond === null ? '' : String(s.rowsPerSecond));
        // what a reader sees is the same number
        const cells = elements(row.inner, 'td', /.*/).map((c) => text(c.inner));
        expect(cells[4]).toBe(`${s.durationMs.toLocaleString('en-US')} ms`);
        expect(cells[5]).toBe(`${s.forecastMs.toLocaleString('en-US')} ms`);
        expect(cells[6]).toBe(`${s.maxLockWaitMs.toLocaleString('en-US')} ms`);
      });
      // each plan step of the migration shows the figures of the phase-file step it runs in
      const measured = elements(page.dom, 'td', /class="measured"/);
      expect(measured.map((c) => Number(attr(c.attrs, 'data-duration-ms')))).toEqual(json.steps.map((s) => s.durationMs));
      expect(page.dom).toContain(`data-ok="${json.roundTrip!.ok}"`);
      expect(firstPixel(page.light)).toEqual([255, 255, 255]);
      expect(firstPixel(page.dark)).toEqual([13, 17, 23]);
    } finally {
      await source.drop();
    }
  }, 120_000);
});
