/**
 * The report formats of `check`, no database: SARIF against the official 2.1.0 schema, GitHub workflow commands
 * with their escaping, and the text a person reads.
 */
import { describe, expect, it } from 'vitest';
import { formatGithub, formatJson, formatText } from '../../src/check/format.js';
import { formatSarif } from '../../src/check/sarif.js';
import { CHECK_RULES, type CheckReport } from '../../src/check/types.js';
import { sarifErrors } from './sarif-validate.js';

const report: CheckReport = {
  target: 'postgres://app:****@db.example:5432/prod',
  normalization: 'applied migrations replayed on a scratch database of the same server',
  migrations: 3,
  sections: { history: 'ok', schema: 'failed', database: 'failed' },
  findings: [
    {
      rule: 'drift-added',
      level: 'error',
      message: 'column public.offices.note is in the database but not in the migrations (added by hand)',
      object: 'column public.offices.note',
      fix: ['ALTER TABLE "public"."offices" DROP COLUMN "note";'],
      location: { file: 'app/schema/offices.ts', line: 5, col: 14 },
    },
    {
      rule: 'ungenerated-change',
      level: 'error',
      message: 'schema/ has a change no migration holds: add column public.offices.a,b: 100%',
      object: 'column public.offices.a,b',
      location: { file: 'app/schema/my offices, v2#draft.ts', line: 12, col: 5 },
    },
    { rule: 'drift-added', level: 'error', message: 'table public.scratch is in the database but not in the migrations (added by hand)' },
    { rule: 'lint', level: 'warning', message: 'INDEX_BUILD (create-index-concurrently): …', location: { file: 'app/generated/migrations/x/1_expand.up.sql', line: 7, col: 1 } },
  ],
  exitCode: 2,
};

describe('check --format sarif', () => {
  it('is valid SARIF 2.1.0, with every rule of the catalog and one result per finding', () => {
    const log = JSON.parse(formatSarif(report, '0.1.0'));
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('keikaku');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(Object.keys(CHECK_RULES));
    expect(run.results).toHaveLength(4);
    const [drift, edit, unlocated, lint] = run.results;
    expect(drift).toMatchObject({
      ruleId: 'drift-added',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'app/schema/offices.ts' }, region: { startLine: 5, startColumn: 14 } } }],
    });
    expect(drift.message.text).toContain('DROP COLUMN "note"');
    expect(run.tool.driver.rules[drift.ruleIndex].id).toBe('drift-added');
    // A path with a space or a # is a URI reference once encoded.
    expect(edit.locations[0].physicalLocation.artifactLocation.uri).toBe('app/schema/my%20offices,%20v2%23draft.ts');
    expect(unlocated.locations).toBeUndefined();
    expect(lint.level).toBe('warning');
  });

  it('the schema rejects what is not SARIF (the validator can fail)', () => {
    const log = JSON.parse(formatSarif(report, '0.1.0'));
    log.runs[0].results[0].level = 'fatal';
    delete log.version;
    const errors = sarifErrors(log);
    expect(errors.some((e) => e.includes('version'))).toBe(true);
    expect(errors.some((e) => e.startsWith('/runs/0/results/0/level'))).toBe(true);
  });
});

describe('check --format github', () => {
  it('one workflow command per finding, properties and data escaped', () => {
    const lines = formatGithub(report).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::error file=app/schema/offices.ts,line=5,col=14,title=keikaku drift-added::column public.offices.note is in the database but not in the migrations (added by hand)%0Ato bring it back:%0AALTER TABLE "public"."offices" DROP COLUMN "note";',
    );
    expect(lines[1]).toBe(
      '::error file=app/schema/my offices%2C v2#draft.ts,line=12,col=5,title=keikaku ungenerated-change::schema/ has a change no migration holds: add column public.offices.a,b: 100%25',
    );
    expect(lines[2]).toBe('::error title=keikaku drift-added::table public.scratch is in the database but not in the migrations (added by hand)');
    expect(lines[3]).toMatch(/^::warning file=app\/generated\/migrations\/x\/1_expand.up.sql,line=7,col=1,title=keikaku lint::/);
    expect(lines[4]).toBe('keikaku check: 3 difference(s) found. (1 warning(s))');
  });
});

describe('check --format text and json', () => {
  it('text: sections, then each finding at file:line:col with the SQL that brings it back', () => {
    const text = formatText(report);
    expect(text).toContain('  database  FAILED  postgres://app:****@db.example:5432/prod');
    expect(text).toContain('app/schema/offices.ts:5:14: error drift-added: column public.offices.note is in the database');
    expect(text).toContain('    to bring it back:\n      ALTER TABLE "public"."offices" DROP COLUMN "note";');
    expect(text.trimEnd().endsWith('3 difference(s) found. (1 warning(s))')).toBe(true);
  });

  it('json: the report as it is', () => {
    expect(JSON.parse(formatJson(report))).toEqual(report);
  });
});
