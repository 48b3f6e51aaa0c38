import { ident, literal } from '../../render/quote.js';
import { DSL } from '../brand.js';
import type { PolicyData } from '../policy.js';
import type { RoutineData } from '../routine.js';
import type { TriggerData } from '../trigger.js';
import { commentSql, deferrableSql, roleSql } from './common.js';
import { dataOfKind } from './context.js';
import { DIAGNOSTIC_CODES as C } from './diagnostic.js';
import type { Site } from './site.js';
import { stmt } from './statement.js';
import { fragmentSql, valueSql } from './sql-text.js';
import { ownColumn, tableName, type TablePartContext } from './table.js';

const ENABLE = { origin: null, disabled: 'DISABLE', replica: 'ENABLE REPLICA', always: 'ENABLE ALWAYS' } as const;

export const renderTrigger = (p: TablePartContext, tr: TriggerData, site: Site): void => {
  const table = tableName(p.t);
  const what = `trigger ${tr.name} on ${table}`;
  const fn = dataOfKind<RoutineData>(tr.function, 'function');
  if (!fn || fn.procedure) {
    p.ctx.report(C.missingReference, site, `${what}: function must be a declared fn(…) returning trigger`);
    return;
  }
  const events = tr.events
    .map((e) => {
      if (e !== 'update' || tr.updateOf.length === 0) return e.toUpperCase();
      const cols = tr.updateOf.map((c) => ownColumn(p, c, site, `${what} updateOf`)).filter((c) => c !== undefined);
      return `UPDATE OF ${cols.map((c) => ident(c.name)).join(', ')}`;
    })
    .join(' OR ');
  const refs = p.ctx.refs(site);
  let sql = `CREATE ${tr.constraint ? 'CONSTRAINT ' : ''}TRIGGER ${ident(tr.name)} ${tr.timing.toUpperCase()} ${events} ON ${table}`;
  if (tr.constraint) sql += deferrableSql(tr.deferrable);
  if (tr.referencing) {
    const r = tr.referencing;
    sql += ' REFERENCING';
    if (r.oldTable) sql += ` OLD TABLE AS ${ident(r.oldTable)}`;
    if (r.newTable) sql += ` NEW TABLE AS ${ident(r.newTable)}`;
  }
  sql += ` FOR EACH ${tr.forEach.toUpperCase()}`;
  if (tr.when) sql += ` WHEN (${fragmentSql(tr.when[DSL], refs)})`;
  sql += ` EXECUTE FUNCTION ${valueSql(tr.function, refs)}(${tr.args.map(literal).join(', ')})`;
  p.out.push({ phase: 'trigger', statement: stmt(sql, what, site) });
  const enable = ENABLE[tr.enabled];
  if (enable) p.out.push({ phase: 'trigger', statement: stmt(`ALTER TABLE ${table} ${enable} TRIGGER ${ident(tr.name)}`, what, site) });
  for (const s of commentSql(`TRIGGER ${ident(tr.name)} ON ${table}`, tr.comment)) p.out.push({ phase: 'comment', statement: stmt(s, what, site) });
};

export const renderPolicy = (p: TablePartContext, pol: PolicyData, site: Site): void => {
  const table = tableName(p.t);
  const what = `policy ${pol.name} on ${table}`;
  const refs = p.ctx.refs(site);
  let sql = `CREATE POLICY ${ident(pol.name)} ON ${table} AS ${pol.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${pol.command}`;
  sql += ` TO ${pol.to.map(roleSql).join(', ')}`;
  if (pol.using) sql += ` USING (${fragmentSql(pol.using[DSL], refs)})`;
  if (pol.withCheck) sql += ` WITH CHECK (${fragmentSql(pol.withCheck[DSL], refs)})`;
  p.out.push({ phase: 'policy', statement: stmt(sql, what, site) });
  for (const s of commentSql(`POLICY ${ident(pol.name)} ON ${table}`, pol.comment)) p.out.push({ phase: 'comment', statement: stmt(s, what, site) });
};
