/**
 * Schema per tenant (docs/fleets.md): the migrations, written for a template schema, run in every tenant schema
 * of a database, each with its own journal scope and advisory lock. Entry points: `tenantTemplate` (which schema
 * the migrations build), `refuseUnsafe` (what cannot be retargeted, checked once before anything runs),
 * `tenantSchemas` (the schemas a pattern selects), `tenantRun` (one schema's retargeted files).
 */
import { readFile } from 'node:fs/promises';
import type { TenantRun } from '../apply/types.js';
import { UserError } from '../db/errors.js';
import type { Db } from '../db/types.js';
import type { History } from '../load/migrations.js';
import { retargetSql, schemasNamed, unsafeParts, type RetargetRefusal } from './retarget.js';

export { retargetSql, unsafeParts, type RetargetRefusal } from './retarget.js';

/**
 * Every up phase file of the history: `[migration, file name, text]`. Only `apply` runs in tenant schemas: the
 * down files are neither checked nor rewritten, and nothing runs them there.
 */
const sqlFiles = (history: Pick<History, 'migrations'>): [string, string, string][] =>
  history.migrations.flatMap((m) => [...m.files].filter(([f]) => f.endsWith('.up.sql')).map(([f, text]): [string, string, string] => [m.id, f, text]));

const shown = (id: string, file: string) => `migrations/${id}/${file}`;

/**
 * The template schema: `given` (`--template-schema`, the config's `tenants.template`), else the one schema the
 * migrations name (pg_catalog and keikaku's own aside).
 * @throws UserError when none is given and the migrations name none, or several.
 */
export const tenantTemplate = async (history: Pick<History, 'migrations'>, given: string | undefined): Promise<string> => {
  if (given !== undefined) {
    if (given === '') throw new UserError('--template-schema: empty schema name');
    return given;
  }
  const named = new Set<string>();
  for (const [id, file, text] of sqlFiles(history)) for (const s of await schemasNamed(text, shown(id, file))) named.add(s);
  if (named.size === 1) return [...named][0]!;
  const list = [...named].sort().map((s) => JSON.stringify(s)).join(', ');
  throw new UserError(
    named.size === 0
      ? '--schemas: the migrations name no schema, so which one tenants copy is not known; give it with --template-schema NAME or tenants: { template } in keikaku.config.ts'
      : `--schemas: the migrations name the schemas ${list}; say which one each tenant schema copies with --template-schema NAME or tenants: { template } in keikaku.config.ts`,
  );
};

/**
 * Refuses a history with anything that cannot run in a tenant schema (retarget.ts `unsafeParts`), every place
 * listed, before any database is touched. `exitCode`: 3 for `apply` (a refusal), 1 for `status` (it cannot read).
 */
export const refuseUnsafe = async (history: Pick<History, 'migrations'>, template: string, exitCode: 1 | 3 = 3): Promise<void> => {
  const found: RetargetRefusal[] = [];
  for (const [id, file, text] of sqlFiles(history)) found.push(...(await unsafeParts(text, shown(id, file), template)));
  if (found.length === 0) return;
  const lines = found.slice(0, 20).map((r) => `  ${r.file}:${r.line}: ${r.reason}`);
  throw new UserError(
    `refusing to run the migrations in tenant schemas (template ${JSON.stringify(template)}): ${found.length} place${found.length === 1 ? '' : 's'} cannot be retargeted safely; nothing was run\n${lines.join('\n')}${found.length > 20 ? `\n  and ${found.length - 20} more` : ''}`,
    exitCode,
  );
};

let listSql: Promise<string> | undefined;

/** The schemas of the database whose names are LIKE `pattern`, bytewise sorted, without system, keikaku and template schemas. */
export const tenantSchemas = async (db: Db, pattern: string, template: string): Promise<string[]> => {
  listSql ??= readFile(new URL('../../src/tenant/sql/tenant-schemas.sql', import.meta.url), 'utf8');
  return (await db.query<{ name: string }>(await listSql, [pattern, template])).map((r) => r.name);
};

/**
 * One tenant schema's run: every phase file of the history retargeted from `template` to `schema`, each rewrite
 * checked (retarget.ts). Call `refuseUnsafe` first.
 * @throws UserError naming the file and line of a rewrite that did not check.
 */
export const tenantRun = async (history: Pick<History, 'migrations'>, template: string, schema: string): Promise<TenantRun> => {
  const texts = new Map<string, string>();
  for (const [id, file, text] of sqlFiles(history)) texts.set(`${id}/${file}`, await retargetSql(text, shown(id, file), template, schema));
  return {
    schema,
    sql: (migration, file, text) => {
      const out = texts.get(`${migration}/${file}`);
      if (out === undefined && text === '') return '';
      // A down file, or one the history did not hold when this was built: never run it unretargeted.
      if (out === undefined) throw new Error(`${migration}/${file} was not retargeted to ${JSON.stringify(schema)}`);
      if (history.migrations.find((m) => m.id === migration)?.files.get(file) !== text) throw new Error(`${migration}/${file} changed since it was retargeted`);
      return out;
    },
  };
};
