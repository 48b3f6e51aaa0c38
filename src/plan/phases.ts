/**
 * Phases of a plan (DESIGN §6). `simple` keeps every step in one `expand` phase (one transaction, the
 * maintenance-window style). `phased` runs each step through its recipe (src/plan/recipes), which splits it into
 * expand / backfill / contract parts, then places the parts so every ordering fact still holds:
 * - a step that needs what another creates runs no earlier than the part that completes it;
 * - a step that creates what another drops runs no earlier than that drop;
 * - a step that drops what another still needs runs no earlier than that other step's last part.
 * Parts only ever move later, in step order, so expand + backfill + contract is still a valid order.
 */
import type { ChangeKind } from '../model/change.js';
import * as K from '../model/keys.js';
import type { Phase, PhaseName, Step, StepPart } from '../model/plan.js';
import type { Index, Schema } from '../model/schema.js';
import { wholeStep } from './recipes/context.js';
import { isRefusal, recipe, type RecipeContext, type Refusal } from './recipes/index.js';
import { describeChange } from '../model/describe.js';
import { archiveDrops } from './archive-drops.js';

const CONTRACT_KINDS = new Set<ChangeKind>([
  'drop_table',
  'drop_column',
  'drop_type',
  'drop_sequence',
  'drop_function',
  'drop_schema',
  'drop_extension',
  'drop_view',
  'drop_index',
  'drop_constraint',
  'drop_trigger',
  'drop_policy',
]);

export type Strategy = 'phased' | 'simple';

export interface PhaseOptions {
  /** The migration id (archive tables are named after it); `pending` for a plan not written yet. */
  readonly id?: string;
  /** The current schema, for facts a change does not carry (is a table partitioned). */
  readonly current?: Schema;
  /** `.backfill(sql\`…\`)` declared in code: column key → expression. */
  readonly backfills?: ReadonlyMap<string, string>;
  readonly batchSize?: number;
  readonly pause?: number;
}

export interface PhasedPlan {
  readonly phases: Phase[];
  /** Changes the phased strategy cannot roll out as declared; such a step stays in one part. */
  readonly refusals: Refusal[];
}

export const PHASES: readonly PhaseName[] = ['expand', 'backfill', 'contract'];

/** Whether tables inherit from this one (their rows are not the table's own: a copy trigger would miss them). */
const hasChildren = (s: Schema, schema: string, table: string) =>
  s.tables.some((x) => x.inherits.some((p) => p.schema === schema && p.table === table));
const RANK: Record<PhaseName, number> = { expand: 0, backfill: 1, contract: 2 };
const NAME_KINDS = new Set(['relation_name', 'type_name']);

export const toPhases = (steps: readonly Step[], strategy: Strategy = 'phased', options: PhaseOptions = {}): Phase[] =>
  planPhases(steps, strategy, options).phases;

export const planPhases = (steps: readonly Step[], strategy: Strategy = 'phased', options: PhaseOptions = {}): PhasedPlan => {
  // One phase, but a dropped table or column is still archived first, so the down restores its rows (DESIGN §9).
  if (strategy === 'simple') return { phases: steps.length ? [{ name: 'expand', steps: archiveDrops(steps, options.id ?? 'pending') }] : [], refusals: [] };
  const creators = index(steps, (s) => s.creates);
  const droppers = index(steps, (s) => s.drops);
  const releasers = index(steps, (s) => s.releases);
  const tables = new Map((options.current?.tables ?? []).map((t) => [K.tableKey(t.schema, t.name), t]));
  // A column that this plan gives a new dependent (a constraint, index or view created over it) cannot move to a
  // `_kk_` copy that takes its name at the swap: the dependent would be created on the old column and go with it.
  // (A rename's copy is the new column under its final name: what is created over that name stays.)
  const newDependents = (column: string) =>
    steps.some((s) => s.requires.includes(column) && s.change.kind !== 'alter_column' && s.change.kind !== 'rename_column');
  // The plain indexes on a column of the current schema (it is one of their key columns); null when anything else
  // uses it (a constraint, a view, an expression or predicate, inheritance children) or the table is unknown.
  const plainIndexes = (schema: string, table: string, column: string): Index[] | null => {
    const cur = options.current;
    const t = tables.get(K.tableKey(schema, table));
    if (!cur || !t || hasChildren(cur, schema, table) || t.constraints.some((x) => x.columns.includes(column))) return null;
    const key = K.columnKey(schema, table, column);
    const indexes = cur.indexes.filter((i) => i.schema === schema && i.table === table && i.columns.includes(column));
    const keys = new Set(indexes.map((i) => K.indexKey(i.schema, i.name)));
    return cur.dependencies.some((d) => d.to === key && !keys.has(d.from)) ? null : indexes;
  };
  const ctx: RecipeContext = {
    id: options.id ?? 'pending',
    createdTables: new Set(steps.filter((s) => s.change.kind === 'create_table').flatMap((s) => s.creates.filter((k) => K.parseKey(k).kind === 'table'))),
    currentTable: (k) => tables.get(k),
    columnHasDependents: (schema, table, column) => {
      const indexes = plainIndexes(schema, table, column);
      return indexes === null || indexes.length > 0;
    },
    columnIndexesOnly: (schema, table, column) => {
      const indexes = plainIndexes(schema, table, column);
      if (indexes === null || newDependents(K.columnKey(schema, table, column))) return null;
      // An index this plan also changes stays with the one-step form.
      const keys = new Set(indexes.map((i) => K.indexKey(i.schema, i.name)));
      return steps.some((s) => [...s.creates, ...s.drops].some((k) => keys.has(k))) ? null : indexes;
    },
    backfills: options.backfills ?? new Map(),
    batchSize: options.batchSize ?? 1000,
    pause: options.pause ?? 0,
  };
  const addsPrimaryKey = new Set(
    steps.flatMap((s) => (s.change.kind === 'add_constraint' && s.change.to.type === 'primary' ? [K.tableKey(s.change.table.schema, s.change.table.name)] : [])),
  );
  const lastRename = steps.reduce((last, s, i) => (s.change.kind.startsWith('rename_') ? i : last), -1);
  const refusals: Refusal[] = [];
  const parts = steps.map((s, i): StepPart[] => {
    const removable = CONTRACT_KINDS.has(s.change.kind);
    const rebuilt = s.drops.some((k) => !NAME_KINDS.has(K.parseKey(k).kind) && (creators.get(k) ?? []).some((j) => j !== i));
    // A table has one primary key: dropping it while another is added is part of that change, not a removal.
    const keySwap = s.change.kind === 'drop_constraint' && s.change.from.type === 'primary' && addsPrimaryKey.has(K.tableKey(s.change.table.schema, s.change.table.name));
    // Drops ordered before a rename are written with the names from before it (before-renames.ts): they must
    // run before it, so they stay in expand.
    const beforeRename = i < lastRename;
    const removal = removable && !rebuilt && !keySwap && !beforeRename;
    const r = recipe(s, removal, ctx);
    if (isRefusal(r)) {
      refusals.push(r);
      return [wholeStep(s, 'expand')];
    }
    return removable && !removal ? r.map((p) => ({ ...p, phase: p.phase === 'contract' ? 'expand' : p.phase })) : [...r];
  });

  const placed: PhaseName[][] = [];
  steps.forEach((s, j) => {
    let first = 0;
    let last = 0;
    const from = (i: number) => i < j;
    for (const k of s.requires) for (const i of creators.get(k) ?? []) if (from(i)) first = Math.max(first, completes(parts[i]!, placed[i]!));
    for (const k of s.creates) for (const i of droppers.get(k) ?? []) if (from(i)) first = Math.max(first, RANK[placed[i]!.at(-1)!]);
    for (const k of s.drops) for (const i of releasers.get(k) ?? []) if (from(i)) last = Math.max(last, RANK[placed[i]!.at(-1)!]);
    const ps = parts[j]!;
    const out: PhaseName[] = [];
    let floor = first;
    ps.forEach((p, n) => {
      let r = Math.max(RANK[p.phase], floor);
      if (n === ps.length - 1) r = Math.max(r, last);
      out.push(PHASES[r]!);
      floor = r;
    });
    placed.push(out);
  });

  const phases: Phase[] = [];
  for (const name of PHASES) {
    const inPhase: Step[] = [];
    const deploy: string[] = [];
    steps.forEach((s, i) =>
      parts[i]!.forEach((p, n) => {
        if (placed[i]![n] !== name) return;
        inPhase.push(asStep(s, p));
        if (p.deploy && !deploy.includes(p.deploy)) deploy.push(p.deploy);
      }),
    );
    if (inPhase.length) phases.push({ name, steps: inPhase, ...(deploy.length ? { deploy } : {}) });
  }
  return { phases, refusals };
};

const completes = (ps: readonly StepPart[], placed: readonly PhaseName[]): number => {
  const n = ps.findIndex((p) => p.completes);
  return RANK[placed[n < 0 ? 0 : n]!];
};

const asStep = (s: Step, p: StepPart): Step => ({
  ...s,
  sql: p.sql,
  reverse: p.reverse,
  transactional: p.transactional,
  reverseTransactional: p.reverseTransactional,
  hazards: p.hazards,
  lock: p.lock,
  ...(p.purpose ? { purpose: p.purpose } : {}),
  ...(p.isolated ? { isolated: true } : {}),
});

const index = (steps: readonly Step[], keys: (s: Step) => readonly string[]): Map<string, number[]> => {
  const m = new Map<string, number[]>();
  steps.forEach((s, i) => {
    for (const k of keys(s)) {
      const l = m.get(k);
      if (l) l.push(i);
      else m.set(k, [i]);
    }
  });
  return m;
};

/** `describeChange` with the part's purpose: `add column public.t.c: fill c in batches`. */
export const describeStep = (s: Step): string => (s.purpose ? `${describeChange(s.change)}: ${s.purpose}` : describeChange(s.change));
