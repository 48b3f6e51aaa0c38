/** The README stays a front page, and the documentation's relative links lead somewhere. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/paths.js';

const README_LIMIT_BYTES = 15 * 1024;

/** Pages written on other branches of the same change; a link to one is reported, not failed, until it lands. */
const PAGES_FROM_OTHER_BRANCHES = new Set(
  ['cli', 'pull', 'data-safety', 'connections', 'cleanup', 'hostile-names', 'postgres-versions'].map((n) => `docs/${n}.md`),
);

const markdownUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownUnder(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );

describe('the front page', () => {
  it(`README.md is at most ${README_LIMIT_BYTES} bytes`, () => {
    expect(statSync(join(projectRoot, 'README.md')).size).toBeLessThanOrEqual(README_LIMIT_BYTES);
  });

  it('every relative link of README.md, CONTRIBUTING.md and docs/ names a file that exists', () => {
    const files = ['README.md', 'CONTRIBUTING.md', ...markdownUnder(join(projectRoot, 'docs')).map((p) => relative(projectRoot, p))];
    const broken: string[] = [];
    const pending: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(projectRoot, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)\s]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        const resolved = normalize(join(dirname(file), target));
        if (existsSync(join(projectRoot, resolved))) continue;
        (PAGES_FROM_OTHER_BRANCHES.has(resolved) ? pending : broken).push(`${file} → ${target}`);
      }
    }
    if (pending.length > 0) console.warn(`links to pages not on this branch yet:\n  ${[...new Set(pending)].join('\n  ')}`);
    expect(broken).toEqual([]);
  });
});
