/** Which tables a step's SQL works on (src/rehearse/run.ts `names`): the workload and the forecast follow it. */
import { describe, expect, it } from 'vitest';
import { names } from '../../src/rehearse/run.js';

const t = (name: string, schema = 'public') => ({ schema, name });

describe('names', () => {
  it('finds a table by its quoted or bare qualified name, or its bare name after a word that names a table', () => {
    expect(names('ALTER TABLE "public"."child" ADD COLUMN x int', t('child'))).toBe(true);
    expect(names('ALTER TABLE public.child ADD COLUMN x int', t('child'))).toBe(true);
    expect(names('ALTER TABLE child ADD COLUMN x int', t('child'))).toBe(true);
    expect(names('alter table only child add column x int', t('child'))).toBe(true);
    expect(names('UPDATE child SET v = 1', t('child'))).toBe(true);
    expect(names('CREATE INDEX i ON child (v)', t('child'))).toBe(true);
    expect(names('ALTER TABLE "app"."child" ADD x int', t('child', 'app'))).toBe(true);
  });

  it('does not take a longer name, a column or an alias for the table', () => {
    expect(names('ALTER TABLE children ADD COLUMN x int', t('child'))).toBe(false);
    expect(names('ALTER TABLE public.children ADD COLUMN x int', t('child'))).toBe(false);
    expect(names('ALTER TABLE "public"."children" ADD COLUMN child int', t('child'))).toBe(false);
    expect(names('UPDATE "public"."x" AS t SET v = a.v FROM "keikaku_archive"."a" AS a', t('t'))).toBe(false);
    expect(names('ALTER TABLE child ADD x int', t('child', 'app'))).toBe(false);
  });
});
