/** Triggers (`pg_get_triggerdef`) and row-level security policies of a table → entries of its extras. */
import * as K from '../model/keys.js';
import type { Trigger } from '../model/schema.js';
import { array, call, type Code, object, str } from './code.js';
import { tableParts } from './context.js';
import { sqlCode } from './expressions.js';
import { identList, readIdent, readQualified, splitTop, stripParens } from './sql-text.js';
import { colRef, type TableScope } from './table.js';

interface TriggerDef {
  readonly constraint: boolean;
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: readonly string[];
  readonly updateOf: readonly string[];
  readonly deferrable: false | 'immediate' | 'deferred';
  readonly oldTable: string | null;
  readonly newTable: string | null;
  readonly forEach: 'row' | 'statement';
  readonly when: string | null;
  readonly fnSchema: string;
  readonly fnName: string;
  readonly args: readonly string[];
}

const TRIGGER =
  /^CREATE (CONSTRAINT )?TRIGGER (?:"(?:[^"]|"")*"|\S+) (BEFORE|AFTER|INSTEAD OF) (.+?) ON (?:"(?:[^"]|"")*"|[^\s".]+)\.(?:"(?:[^"]|"")*"|[^\s".]+) (?:(NOT DEFERRABLE |DEFERRABLE INITIALLY IMMEDIATE |DEFERRABLE INITIALLY DEFERRED ))?(?:REFERENCING (.+?) )?FOR EACH (ROW|STATEMENT) (?:WHEN \((.*)\) )?EXECUTE (?:FUNCTION|PROCEDURE) (.+)$/s;

const parseTrigger = (def: string): TriggerDef | undefined => {
  const m = TRIGGER.exec(def);
  if (!m) return undefined;
  const events: string[] = [];
  let updateOf: string[] = [];
  for (const e of m[3]!.split(' OR ')) {
    const u = /^UPDATE OF (.+)$/.exec(e);
    if (u) {
      const cols = identList(u[1]!);
      if (!cols) return undefined;
      updateOf = cols;
      events.push('update');
    } else if (/^(INSERT|UPDATE|DELETE|TRUNCATE)$/.test(e)) events.push(e.toLowerCase());
    else return undefined;
  }
  let oldTable: string | null = null;
  let newTable: string | null = null;
  if (m[5]) {
    let rest = m[5];
    for (;;) {
      const r = /^\s*(OLD|NEW) TABLE AS /.exec(rest);
      if (!r) break;
      const id = readIdent(rest.slice(r[0].length));
      if (!id) return undefined;
      if (r[1] === 'OLD') oldTable = id.name;
      else newTable = id.name;
      rest = id.rest;
    }
    if (rest.trim() !== '') return undefined;
  }
  const fn = readQualified(m[8]!);
  if (!fn || fn.schema === null || !fn.rest.startsWith('(') || !fn.rest.endsWith(')')) return undefined;
  const argText = fn.rest.slice(1, -1).trim();
  const args: string[] = [];
  for (const a of argText === '' ? [] : splitTop(argText)) {
    const lit = /^'((?:[^']|'')*)'$/s.exec(a);
    if (!lit) return undefined;
    args.push(lit[1]!.replace(/''/g, "'"));
  }
  const d = m[4]?.trim();
  return {
    constraint: m[1] !== undefined,
    timing: m[2]!.toLowerCase() as TriggerDef['timing'],
    events,
    updateOf,
    deferrable: d === 'DEFERRABLE INITIALLY DEFERRED' ? 'deferred' : d === 'DEFERRABLE INITIALLY IMMEDIATE' ? 'immediate' : false,
    oldTable,
    newTable,
    forEach: m[6]!.toLowerCase() as 'row' | 'statement',
    when: m[7] === undefined ? null : stripParens(m[7]),
    fnSchema: fn.schema,
    fnName: fn.name,
    args,
  };
};

const ENABLED: Readonly<Record<Trigger['enabled'], string | undefined>> = { O: undefined, D: 'disabled', R: 'replica', A: 'always' };

export const triggerCodes = (s: TableScope): Code[] => {
  const { ctx, t } = s;
  const out: Code[] = [];
  for (const tr of tableParts(ctx.schema, t.schema, t.name).triggers) {
    const d = parseTrigger(tr.definition);
    const routine = d && ctx.schema.functions.find((f) => f.schema === d.fnSchema && f.name === d.fnName && f.identityArgs === '' && !f.procedure);
    const fn = routine && ctx.ref(K.functionKey(routine.schema, routine.name, routine.identityArgs));
    if (!d || !fn || d.updateOf.some((c) => !s.keys.has(c))) {
      ctx.note(`trigger ${tr.name} on ${t.schema}.${t.name}: ${tr.definition} has no DSL form (or its function is not pulled): left out`);
      continue;
    }
    const referencing =
      d.oldTable || d.newTable
        ? `{ ${[d.oldTable ? `oldTable: ${str(d.oldTable)}` : '', d.newTable ? `newTable: ${str(d.newTable)}` : ''].filter(Boolean).join(', ')} }`
        : undefined;
    out.push(
      call(ctx.dsl('trigger'), [
        str(tr.name),
        object([
          ['timing', str(d.timing)],
          ['events', d.events.length === 1 ? str(d.events[0]!) : `[${d.events.map(str).join(', ')}]`],
          ['updateOf', d.updateOf.length ? `[${d.updateOf.map((c) => colRef(s, c)).join(', ')}]` : undefined],
          ['forEach', d.forEach === 'row' ? str('row') : undefined],
          ['when', d.when === null ? undefined : sqlCode(ctx, d.when)],
          ['function', fn],
          ['args', d.args.length ? `[${d.args.map(str).join(', ')}]` : undefined],
          ['referencing', referencing],
          ['constraint', d.constraint ? 'true' : undefined],
          ['deferrable', d.deferrable === false ? undefined : d.deferrable === 'deferred' ? str('deferred') : 'true'],
          ['enabled', ENABLED[tr.enabled] === undefined ? undefined : str(ENABLED[tr.enabled]!)],
          ['comment', tr.comment === null ? undefined : str(tr.comment)],
        ]),
      ]),
    );
  }
  return out;
};

export const policyCodes = (s: TableScope): Code[] => {
  const { ctx, t } = s;
  return tableParts(ctx.schema, t.schema, t.name)
    .policies.map((p) => {
      const roles = p.roles.length === 1 && p.roles[0] === 'public' ? undefined : p.roles.length === 1 ? str(p.roles[0]!) : array(p.roles.map(str));
      const options = object([
        ['as', p.permissive ? undefined : str('restrictive')],
        ['for', p.command === 'ALL' ? undefined : str(p.command.toLowerCase())],
        ['to', roles],
        ['using', p.using === null ? undefined : sqlCode(ctx, stripParens(p.using))],
        ['withCheck', p.withCheck === null ? undefined : sqlCode(ctx, stripParens(p.withCheck))],
        ['comment', p.comment === null ? undefined : str(p.comment)],
      ]);
      return call(ctx.dsl('policy'), options.items.length ? [str(p.name), options] : [str(p.name)]);
    });
};

