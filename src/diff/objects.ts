import type { Change } from '../model/change.js';
import type { Index, Policy, Routine, Sequence, Trigger, View } from '../model/schema.js';
import { sameSequenceOptions } from '../render/sequence.js';
import { indexBody, onlyParent } from '../render/objects.js';
import { sameGrants } from './compare.js';
import { pairBy, type DiffContext } from './index.js';
import { sameShape as sameTableShape } from './tables.js';

const id = (...parts: string[]) => JSON.stringify(parts);

/** Schemas, extensions, sequences, indexes, views, routines, triggers and policies. */
export const diffObjects = (ctx: DiffContext): Change[] => [
  ...diffSchemas(ctx),
  ...diffExtensions(ctx),
  ...diffSequences(ctx),
  ...diffIndexes(ctx),
  ...diffViews(ctx),
  ...diffFunctions(ctx),
  ...diffTriggers(ctx),
  ...diffPolicies(ctx),
];

const diffSchemas = ({ from, to }: DiffContext): Change[] => {
  const out: Change[] = [];
  const p = pairBy(from.schemas, to.schemas, (s) => s.name);
  // `public` is part of every database: it is never created or dropped, only its comment and grants change.
  for (const s of p.removed) if (s.name !== 'public') out.push({ kind: 'drop_schema', from: s });
  for (const s of p.added) if (s.name !== 'public') out.push({ kind: 'create_schema', to: s });
  for (const [a, b] of p.both)
    if (a.comment !== b.comment || !sameGrants(a.grants, b.grants)) out.push({ kind: 'alter_schema', from: a, to: b });
  return out;
};

const diffExtensions = ({ from, to }: DiffContext): Change[] => {
  const out: Change[] = [];
  const p = pairBy(from.extensions, to.extensions, (e) => e.name);
  for (const e of p.removed) out.push({ kind: 'drop_extension', from: e });
  for (const e of p.added) out.push({ kind: 'create_extension', to: e });
  for (const [a, b] of p.both) if (a.schema !== b.schema) out.push({ kind: 'alter_extension', from: a, to: b });
  return out;
};

const diffSequences = (ctx: DiffContext): Change[] => {
  const out: Change[] = [];
  const p = pairBy(ctx.from.sequences, ctx.to.sequences, (s) => id(s.schema, s.name));
  const goesWithOwner = (s: Sequence) => {
    if (!s.ownedBy) return false;
    const o = s.ownedBy;
    const t = ctx.to.tables.find((t) => t.schema === o.schema && t.name === o.table);
    const fromTable = ctx.from.tables.find((t) => t.schema === o.schema && t.name === o.table);
    const sameShape = t && fromTable && sameTableShape(fromTable, t);
    const col = t?.columns.find((c) => c.name === o.column);
    const fromCol = fromTable?.columns.find((c) => c.name === o.column);
    const regenerated = col && fromCol && col.generated !== fromCol.generated && col.generated !== null;
    return !sameShape || !col || regenerated;
  };
  for (const s of p.removed) if (!goesWithOwner(s)) out.push({ kind: 'drop_sequence', from: s });
  for (const s of p.added) {
    out.push({ kind: 'create_sequence', to: s });
    if (s.ownedBy) out.push({ kind: 'set_sequence_owner', from: { ...s, ownedBy: null }, to: s });
  }
  for (const [a, b] of p.both) {
    if (!sameSequenceOptions(a, b) || a.comment !== b.comment || !sameGrants(a.grants, b.grants))
      out.push({ kind: 'alter_sequence', from: a, to: b });
    if (JSON.stringify(a.ownedBy) !== JSON.stringify(b.ownedBy)) out.push({ kind: 'set_sequence_owner', from: a, to: b });
  }
  return out;
};

const sameIndex = (a: Index, b: Index) =>
  a.table === b.table && a.unique === b.unique && indexBody(a) === indexBody(b) && onlyParent(a) === onlyParent(b);

const diffIndexes = ({ from, to }: DiffContext): Change[] => {
  const out: Change[] = [];
  const p = pairBy(from.indexes, to.indexes, (i) => id(i.schema, i.name));
  for (const i of p.removed) out.push({ kind: 'drop_index', from: i });
  for (const i of p.added) out.push({ kind: 'create_index', to: i });
  for (const [a, b] of p.both) {
    if (!sameIndex(a, b)) out.push({ kind: 'drop_index', from: a }, { kind: 'create_index', to: b });
    else if (a.comment !== b.comment) out.push({ kind: 'alter_index', from: a, to: b });
  }
  return out;
};

const diffViews = ({ from, to }: DiffContext): Change[] => {
  const out: Change[] = [];
  const p = pairBy(from.views, to.views, (v) => id(v.schema, v.name));
  for (const v of p.removed) out.push({ kind: 'drop_view', from: v });
  for (const v of p.added) out.push({ kind: 'create_view', to: v });
  for (const [a, b] of p.both) {
    if (a.materialized !== b.materialized || a.definition !== b.definition)
      out.push({ kind: 'drop_view', from: a }, { kind: 'create_view', to: b });
    else if (!sameViewProps(a, b)) out.push({ kind: 'alter_view', from: a, to: b });
  }
  return out;
};

const sameViewProps = (a: View, b: View) =>
  JSON.stringify(a.options) === JSON.stringify(b.options) &&
  a.comment === b.comment &&
  JSON.stringify(a.columnComments) === JSON.stringify(b.columnComments) &&
  sameGrants(a.grants, b.grants);

const diffFunctions = ({ from, to }: DiffContext): Change[] => {
  const out: Change[] = [];
  const p = pairBy(from.functions, to.functions, (f) => id(f.schema, f.name, f.identityArgs));
  for (const f of p.removed) out.push({ kind: 'drop_function', from: f });
  for (const f of p.added) out.push({ kind: 'create_function', to: f });
  for (const [a, b] of p.both) {
    if (a.definition !== b.definition) {
      if (replaceable(a, b)) out.push({ kind: 'replace_function', from: a, to: b });
      else out.push({ kind: 'drop_function', from: a }, { kind: 'create_function', to: b });
    } else if (a.comment !== b.comment || !sameGrants(a.grants, b.grants)) {
      out.push({ kind: 'alter_function', from: a, to: b });
    }
  }
  return out;
};

/** CREATE OR REPLACE cannot change the result type, argument names or defaults, or function ↔ procedure. */
const replaceable = (a: Routine, b: Routine) => a.procedure === b.procedure && a.returns === b.returns && a.args === b.args;

const diffTriggers = ({ from, to }: DiffContext): Change[] => {
  const out: Change[] = [];
  const p = pairBy(from.triggers, to.triggers, (t: Trigger) => id(t.schema, t.table, t.name));
  for (const t of p.removed) out.push({ kind: 'drop_trigger', from: t });
  for (const t of p.added) out.push({ kind: 'create_trigger', to: t });
  for (const [a, b] of p.both) {
    if (a.definition !== b.definition) out.push({ kind: 'drop_trigger', from: a }, { kind: 'create_trigger', to: b });
    else if (a.enabled !== b.enabled || a.comment !== b.comment) out.push({ kind: 'alter_trigger', from: a, to: b });
  }
  return out;
};

const samePolicy = (a: Policy, b: Policy) =>
  a.command === b.command &&
  a.permissive === b.permissive &&
  JSON.stringify(a.roles) === JSON.stringify(b.roles) &&
  a.using === b.using &&
  a.withCheck === b.withCheck;

const diffPolicies = ({ from, to }: DiffContext): Change[] => {
  const out: Change[] = [];
  const p = pairBy(from.policies, to.policies, (x) => id(x.schema, x.table, x.name));
  for (const x of p.removed) out.push({ kind: 'drop_policy', from: x });
  for (const x of p.added) out.push({ kind: 'create_policy', to: x });
  for (const [a, b] of p.both) {
    if (!samePolicy(a, b)) out.push({ kind: 'drop_policy', from: a }, { kind: 'create_policy', to: b });
    else if (a.comment !== b.comment) out.push({ kind: 'alter_policy', from: a, to: b });
  }
  return out;
};
