/** docs/hazards.md is generated from the code; this fails while the page and the code differ. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAZARD_CODES } from '../../src/model/hazard.js';
import { RULES } from '../../src/lint/index.js';
import { projectRoot } from '../support/paths.js';
import { renderHazardsPage } from './hazards-page.js';

describe('docs/hazards.md', () => {
  it('is what `npm run docs:hazards` writes from the code today', async () => {
    const page = readFileSync(join(projectRoot, 'docs/hazards.md'), 'utf8');
    const fresh = await renderHazardsPage();
    expect(page, 'docs/hazards.md is out of date: run `npm run docs:hazards`').toBe(fresh);
  });

  it('names every hazard code and every lint rule', async () => {
    const page = await renderHazardsPage();
    for (const code of HAZARD_CODES) expect(page).toContain(`| \`${code}\` |`);
    for (const rule of RULES) expect(page).toContain(`| \`${rule.id}\` |`);
  });

  it('reports ACCESS EXCLUSIVE from the lock table, not a fixed answer', async () => {
    const page = await renderHazardsPage();
    expect(page).toMatch(/\| `DROP INDEX i` \| \*\*ACCESS EXCLUSIVE\*\*/);
    expect(page).toMatch(/\| `DROP INDEX CONCURRENTLY i` \| weaker \|/);
    expect(page).toMatch(/\| `ALTER TABLE t VALIDATE CONSTRAINT k` \| weaker \|/);
  });
});
