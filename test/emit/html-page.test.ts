/**
 * The review page (`plan --format html`, src/emit/html-page.ts): hostile names stay text; and in a real headless
 * Chromium, a real plan's page renders with no console message (no error, no blocked request), is screenshotted
 * in the light and the dark scheme (paths printed), and shows the numbers of `plan --format json` for the same
 * plan: steps, phases, hazards, each step's lock and hazards, each table's size (with a live database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate.js';
import { runPlan, type PlanArgs } from '../../src/cli/plan.js';
import type { DesiredLoader } from '../../src/project/desired.js';
import { openPglite } from '../../src/db/pglite.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import type { PlanJson } from '../../src/emit/migration.js';
import { renderReviewPage } from '../../src/emit/html-page.js';
import { readSchema } from '../../src/load/source.js';
import type { Change } from '../../src/model/change.js';
import type { Phase, Step } from '../../src/model/plan.js';
import { backends } from '../support/backends.js';
import { findChromium, firstPixel, renderInChromium } from '../support/chromium.js';
import { tempProjectConfig } from '../support/project-config.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

const fromSql = (sql: string): DesiredLoader => async () => {
  const db = await openPglite({ extensions: [] });
  try {
    await db.exec(sql);
    return { schema: await readSchema(db), hints: [] };
  } finally {
    await db.close();
  }
};

const V1 = `CREATE TABLE offices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, full_name text NOT NULL, legacy text);
CREATE TABLE staffs (id bigint PRIMARY KEY, office_id bigint NOT NULL REFERENCES offices, name text);`;
// a rename (hinted), a NOT NULL column with a default, a dropped column, an index, a new table, a check
const V2 = `CREATE TABLE offices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, timezone text NOT NULL DEFAULT 'UTC');
CREATE TABLE staffs (id bigint PRIMARY KEY, office_id bigint NOT NULL REFERENCES offices, name text, CONSTRAINT name_not_empty CHECK (length(name) > 0));
CREATE INDEX staffs_name ON staffs (name);
CREATE TABLE "Audit <log>" (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());`;

const planArgs = (format: PlanArgs['format'], extra: Partial<PlanArgs> = {}): PlanArgs => ({
  renames: ['public.offices.full_name=name'],
  noRename: ['public.offices.legacy'],
  format,
  exitCode: false,
  color: false,
  allowHazards: ['DELETES_DATA'],
  ...extra,
});

const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
};

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** `<tag attrs>inner</tag>` of every element whose opening tag matches `open` (no nesting of the same tag inside). */
const elements = (dom: string, tag: string, open: RegExp): { attrs: string; inner: string }[] =>
  [...dom.matchAll(new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, 'g'))].filter((m) => open.test(m[1]!)).map((m) => ({ attrs: m[1]!, inner: m[2]! }));

const num = (s: string) => Number(/\d[\d,]*/.exec(s)![0].replace(/,/g, ''));

const lockName = (l: string) => (l === 'none' ? 'none' : l.replace(/_/g, ' ').toUpperCase());

/** What the page shows, read from the DOM Chromium parsed, against the JSON report of the same plan. */
const expectSameNumbers = (dom: string, json: PlanJson) => {
  const steps = json.phases.flatMap((p) => p.steps.map((s, i) => ({ p, s, i })));
  const summary = elements(dom, 'p', /class="summary"/)[0]!.inner;
  const field = (k: string) => num(text(elements(summary, 'span', new RegExp(`data-k="${k}"`))[0]!.inner));
  expect(field('steps')).toBe(steps.length);
  expect(field('phases')).toBe(json.phases.length);
  expect(field('hazards')).toBe(steps.reduce((n, x) => n + x.s.hazards.length, 0));
  // the timeline: each phase's step count
  const timeline = elements(dom, 'li', /class="phase /);
  expect(timeline.map((li) => /data-phase="(\w+)"/.exec(li.attrs)![1])).toEqual(json.phases.map((p) => p.name));
  expect(timeline.map((li) => num(text(elements(li.inner, 'a', /data-k="phase-steps"/)[0]!.inner)))).toEqual(json.phases.map((p) => p.steps.length));
  // every step: its lock, its hazards, its table's size
  const rows = elements(dom, 'tr', /data-step=/);
  expect(rows.map((r) => /data-step="([\w-]+)"/.exec(r.attrs)![1])).toEqual(steps.map(({ p, i }) => `${p.name}-${i + 1}`));
  rows.forEach((r, k) => {
    const { s } = steps[k]!;
    const cells = elements(r.inner, 'td', /.*/);
    expect(text(cells[2]!.inner)).toBe(lockName(s.lock));
    const shown = elements(cells[4]!.inner, 'span', /class="hz"/).map((x) => text(x.inner));
    expect(shown).toEqual(s.hazards.map((h) => h.code));
    const size = s.hazards.find((h) => h.size)?.size;
    if (size) {
      expect(text(cells[5]!.inner)).toContain(`~${Math.round(size.rows).toLocaleString('en-US')} rows`);
      expect(cells[5]!.attrs).toContain(`data-rows="${Math.round(size.rows)}" data-bytes="${size.bytes}"`);
    } else expect(text(cells[5]!.inner)).toBe('—');
  });
};

const chromium = findChromium();
// CI requires it; .ci/run installs it and says so loudly (KEIKAKU_CHROMIUM_OPTIONAL=1) where it could not.
const required = process.env.CI === 'true' && process.env.KEIKAKU_CHROMIUM_OPTIONAL !== '1';
const why = 'chromium is not installed (Debian: apt-get install chromium; or KEIKAKU_CHROMIUM=/path): the review page is not rendered';
if (!chromium && !required) console.warn(`skipped: ${why}`);
const withChromium = chromium || required ? describe : describe.skip;
/** The binary; with CI=true and none installed, each test fails saying so. */
const browser = (): string => {
  if (!chromium) throw new Error(`CI=true requires it, but ${why}`);
  return chromium;
};

const hostile = 'x</code><img src=x onerror="alert(1)"><script>alert(2)</script>\n-- */ \u001b[31m\u202e\'"&amp;';

const hostileStep = (name: string): Step => ({
  change: { kind: 'create_table', to: { schema: 'public', name } } as unknown as Change,
  sql: [`CREATE TABLE "public"."${name.replace(/"/g, '""')}" (id int);`],
  reverse: [`DROP TABLE "public"."${name.replace(/"/g, '""')}";`],
  transactional: true,
  reverseTransactional: true,
  hazards: [{ code: 'DELETES_DATA', message: `drops ${name}`, size: { table: `public.${name}`, rows: 1234567, bytes: 98_765_432 } }],
  lock: 'access_exclusive',
  creates: [],
  drops: [],
  requires: [],
  releases: [],
  purpose: `fill ${name}`,
});

const hostilePage = () =>
  renderReviewPage({
    meta: { id: `20260101000000_${hostile}`, parent: hostile, renames: [`${hostile}=y`], strategy: 'phased' },
    phases: [{ name: 'expand', steps: [hostileStep(hostile)], deploy: [`stop writing ${hostile}`] } satisfies Phase],
    refused: [`public.${hostile}: refused`],
    from: 'the migration history (1 migration(s))',
  });

describe('the review page as text', () => {
  it('keeps a hostile name text: no tag, attribute, script or invisible character of it reaches the markup', () => {
    const page = hostilePage();
    expect(page).not.toMatch(/<img|<script|onerror="/i);
    expect(page).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(page).toContain('x&lt;/code&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\\n-- */ \\x1b[31m\\u202e&#39;&quot;&amp;amp;');
    // the same in the highlighted SQL, where the name sits inside a quoted identifier
    expect(page).toContain('<span class="i">&quot;x&lt;/code&gt;&lt;img src=x onerror=&quot;&quot;alert(1)&quot;&quot;&gt;');
  });

  it('is the same bytes for the same plan, and says when there is nothing to do', () => {
    expect(hostilePage()).toBe(hostilePage());
    const empty = renderReviewPage({ meta: { id: '(pending)', parent: null, renames: [], strategy: 'phased' }, phases: [], refused: [], from: 'the database' });
    expect(text(empty)).toContain('0 steps in 0 phases, 0 hazards');
    expect(text(empty)).toContain('No changes: nothing to run.');
  });
});

withChromium('the review page in headless Chromium', () => {
  const all = backends();
  // Kept after the run (the paths are printed) so the screenshots can be looked at; the OS clears its temp dir.
  const shots = () => mkdtempSync(join(tmpdir(), 'kk-review-page-'));

  it('notices a console message and a blocked request (the check itself can fail)', async () => {
    const dir = shots();
    const page = await renderInChromium(browser(), `<!doctype html><title>t</title><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'"><script>console.error('boom')</script><img src="http://192.0.2.1/x.png" alt="">`, dir, 'control');
    expect(page.console.join('\n')).toContain('"boom"');
    expect(page.console.join('\n')).toContain('Content Security Policy');
  }, 120_000);

  it("renders a real plan with no console message, light and dark, with the JSON report's numbers", async () => {
    const cfg = tempProjectConfig('kk-review-');
    made.push(cfg.root);
    expect((await runGenerate(cfg, fromSql(V1), { name: 'init', renames: [], noRename: [], format: 'text', now: new Date('2026-01-02T03:04:05Z') })).exitCode).toBe(0);
    const json = JSON.parse((await runPlan(cfg, fromSql(V2), planArgs('json'))).stdout) as PlanJson & { generatable: boolean };
    expect(json.phases.map((p) => p.name)).toEqual(['expand', 'backfill', 'contract']);
    const html = (await runPlan(cfg, fromSql(V2), planArgs('html'))).stdout;
    const dir = shots();
    const page = await renderInChromium(browser(), html, dir, 'plan');
    console.log(`review page screenshots: ${page.light} ${page.dark}`);
    expect(page.console).toEqual([]);
    expect(page.dom).toContain('<h2 id="timeline-h">Timeline</h2>');
    expectSameNumbers(page.dom, json);
    // the table with a hostile name is one row of the diagram, as text
    expect(page.dom).toContain('<code>public.Audit &lt;log&gt;</code>');
    // the colour scheme follows prefers-color-scheme: the page's background in each screenshot
    expect(firstPixel(page.light)).toEqual([255, 255, 255]);
    expect(firstPixel(page.dark)).toEqual([13, 17, 23]);
  }, 180_000);

  it('shows the table sizes a live database gives (plan --from-db), as the JSON report does', async () => {
    const server = (await all).find((b) => b.name === 'server');
    if (!server?.serverUrl) {
      console.warn('skipped: no PostgreSQL server (sizes need a live database)');
      return;
    }
    const scratch = await createScratchDatabase(server.serverUrl);
    try {
      await scratch.db.exec(`${V1}
        INSERT INTO offices (full_name, legacy) SELECT 'o' || g, 'l' FROM generate_series(1, 2000) g;
        INSERT INTO staffs SELECT g, 1 + g % 2000, 's' || g FROM generate_series(1, 5000) g;
        ANALYZE offices; ANALYZE staffs;`);
      const cfg = tempProjectConfig('kk-review-db-');
      made.push(cfg.root);
      const json = JSON.parse((await runPlan(cfg, fromSql(V2), planArgs('json', { fromDb: scratch.url }))).stdout) as PlanJson;
      const sizes = json.phases.flatMap((p) => p.steps.flatMap((s) => s.hazards.flatMap((h) => (h.size ? [h.size] : []))));
      expect(sizes.map((s) => s.table)).toContain('public.staffs');
      const html = (await runPlan(cfg, fromSql(V2), planArgs('html', { fromDb: scratch.url }))).stdout;
      const page = await renderInChromium(browser(), html, shots(), 'plan-from-db');
      console.log(`review page screenshots (with sizes): ${page.light} ${page.dark}`);
      expect(page.console).toEqual([]);
      expectSameNumbers(page.dom, json);
      expect(page.dom).toContain('data-rows="5000"');
    } finally {
      await scratch.drop();
    }
  }, 180_000);

  it('keeps a hostile name text in the DOM Chromium builds: no element, script or request comes from it', async () => {
    const page = await renderInChromium(browser(), hostilePage(), shots(), 'hostile');
    expect(page.console).toEqual([]);
    const body = page.dom.slice(page.dom.indexOf('<body'));
    expect(body).not.toMatch(/<img|<script/i);
    expect(text(elements(page.dom, 'title', /.*/)[0]!.inner)).toContain('x</code><img src=x onerror="alert(1)">');
    expect(page.dom).toContain('data-rows="1234567" data-bytes="98765432"');
    expect(text(body)).toContain('~1,234,567 rows');
  }, 120_000);
});
