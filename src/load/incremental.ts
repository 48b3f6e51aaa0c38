/**
 * Incremental normalization: after an edit of schema/, only the declarations that changed, and those whose
 * stored form may depend on them, are created in the shadow; every other table is taken from the last
 * normalization, unchanged. The result is the schema a full normalization would read back, for less work: a
 * one-column edit of a 1,000-table schema creates a few dozen tables instead of a thousand.
 *
 * A declaration (a unit: one exported table with everything declared with it, one view, one enum, …) is compared
 * by the hash of its rendered statements. What is created in the shadow:
 * - every changed or new unit;
 * - every unit that mentions a changed, new or removed unit by name (its stored form may read the other's columns,
 *   a foreign key must be checked again), and from there on through units whose own shape follows what they read
 *   (views, functions, types: every non-table unit; tables with INHERITS or PARTITION OF);
 * - every non-table unit (there are few; types, functions and operators decide how expressions resolve);
 * - and, transitively, every unit the above mention (what their statements need to exist). Such a table, needed
 *   only, is created with its table, sequence ownership and index statements alone (not its foreign keys,
 *   triggers, policies, comments or grants, so not what those mention), and taken from the last normalization
 *   like a kept one: its text did not change and mentions nothing that did. Not when a recreated table inherits
 *   from another (INHERITS, PARTITION OF: a child's stored form follows its parent's constraints and keys).
 * "Mentions" is lexical and errs on the side of more: any word of a unit's SQL text (identifiers, string literals,
 * function bodies alike) equal to another unit's name.
 *
 * Anything that could make the spliced result differ from a full normalization gives up and lets the caller run
 * the full one: a different set of roles or extensions, a statement the partial shadow rejects (an unmentioned
 * dependency), a name chosen in the shadow that a kept table also holds (Postgres picks names that avoid existing
 * ones), or more than half of the tables to create anyway.
 */
import type { DdlStatement } from '../dsl/ddl/statement.js';
import { sha256 } from '../emit/checksum.js';
import { sortedSchema } from '../introspect/index.js';
import { columnKey, constraintKey, indexKey, parseKey, sequenceKey, tableKey } from '../model/keys.js';
import type { Index, Schema, Sequence } from '../model/schema.js';

/** One declaration's statements, by the unit key `unitKey` gave them. */
export interface Unit {
  readonly key: string;
  /** Its unqualified name, lower case: what another unit's text mentions. */
  readonly name: string;
  readonly table: boolean;
  readonly hash: string;
  readonly statements: DdlStatement[];
}

/** What the next incremental normalization starts from: the units of the last one, and where its result is. */
export interface NormalizedUnits {
  /** Roles, extensions and backend of that normalization: any difference means a full one. */
  readonly context: string;
  /** Unit key → hash of its statements. */
  readonly units: Readonly<Record<string, string>>;
  /** The whole script's key (statement order included): equal, the normalization is the same. */
  readonly script?: string | undefined;
  /** The extensions it created: what the next one's embedded shadow likely needs (`startShadowEarly`). */
  readonly extensions?: readonly string[] | undefined;
}

/** The shadow's part of an incremental normalization: which units to create, and which tables to keep. */
export interface IncrementalPlan {
  /** The statements to run in the shadow, in script order. */
  readonly statements: readonly DdlStatement[];
  /** Table units taken from the last normalization (unit key = table key). */
  readonly kept: ReadonlySet<string>;
  /** Those of `kept` created in the shadow all the same, in part (`NEEDED_PHASES`): drop them from its result. */
  readonly needed: ReadonlySet<string>;
  /** Counts, for tests and the benchmark. */
  readonly stats: { readonly units: number; readonly changed: number; readonly removed: number; readonly created: number; readonly tables: number };
}

const NO_UNIT = JSON.stringify(['', '', '']);

const unitName = (key: string): string => ((JSON.parse(key) as string[])[2] ?? '').toLowerCase();
const isTableUnit = (key: string): boolean => key.startsWith('["table",');

/** Groups a script by unit, in first-appearance order. */
export const scriptUnits = (statements: readonly DdlStatement[]): Map<string, Unit> => {
  const groups = new Map<string, DdlStatement[]>();
  for (const s of statements) {
    const k = s.unit ?? NO_UNIT;
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  const out = new Map<string, Unit>();
  for (const [key, stmts] of groups) {
    out.set(key, {
      key,
      name: unitName(key),
      table: isTableUnit(key),
      hash: sha256(stmts.map((s) => s.sql).join('\n')),
      statements: stmts,
    });
  }
  return out;
};

export const unitHashes = (units: ReadonlyMap<string, Unit>): Record<string, string> =>
  Object.fromEntries([...units.values()].map((u) => [u.key, u.hash]));

const WORD = /[\p{L}_][\p{L}\p{N}_$]*/gu;
const SIMPLE_NAME = /^[\p{L}_][\p{L}\p{N}_$]*$/u;

/** A function giving the units (by key) a text mentions by name. Names need not be current units. */
const mentionFinder = (units: ReadonlyMap<string, Unit>, extraNames: ReadonlyMap<string, string>): ((text: string) => Set<string>) => {
  const byName = new Map<string, string[]>();
  const complex: [string, string][] = [];
  const addName = (name: string, key: string) => {
    if (!name) return;
    if (!SIMPLE_NAME.test(name)) complex.push([name, key]);
    const list = byName.get(name);
    if (list) list.push(key);
    else byName.set(name, [key]);
  };
  for (const u of units.values()) addName(u.name, u.key);
  for (const [key, name] of extraNames) addName(name, key);
  return (text) => {
    const lower = text.toLowerCase();
    const mentions = new Set<string>();
    for (const word of new Set(lower.match(WORD) ?? [])) for (const k of byName.get(word) ?? []) mentions.add(k);
    // Names that are not one word ("order items", "a-b") are found as text.
    for (const [name, k] of complex) if (lower.includes(name)) mentions.add(k);
    return mentions;
  };
};

const unitText = (statements: readonly DdlStatement[]) => statements.map((s) => s.sql).join('\n');

/** Which units (by key) each unit's text mentions by name, itself excluded. */
const mentionGraph = (units: ReadonlyMap<string, Unit>, find: (text: string) => Set<string>): Map<string, Set<string>> => {
  const out = new Map<string, Set<string>>();
  for (const u of units.values()) {
    const mentions = find(unitText(u.statements));
    mentions.delete(u.key);
    out.set(u.key, mentions);
  }
  return out;
};

/** The stages of a table's statements it is created with when a recreated unit only needs it. */
const NEEDED_PHASES: ReadonlySet<string> = new Set(['table', 'owned-by', 'index']);
const neededStatements = (u: Unit): DdlStatement[] => u.statements.filter((s) => NEEDED_PHASES.has(s.phase!));
/** A table unit whose every statement says its stage (rendered from a declaration). */
const inStages = (u: Unit): boolean => u.table && u.statements.every((s) => s.phase !== undefined);

/** Tables whose columns follow another table's: children of INHERITS or PARTITION OF. */
const followsParent = (u: Unit): boolean => u.statements.some((s) => /\b(?:inherits|partition\s+of)\b/i.test(s.sql));

/**
 * Which units of `script` to create in the shadow, given the units of the last normalization; null when a full
 * normalization is about as cheap (more than `maxShare`, default half, of the tables to create) or the two cannot
 * be compared. `units`: `scriptUnits(script)` when the caller has it already.
 */
export const planIncremental = (
  script: readonly DdlStatement[],
  context: string,
  last: NormalizedUnits,
  options: { readonly maxShare?: number; readonly units?: ReadonlyMap<string, Unit> } = {},
): IncrementalPlan | null => {
  if (last.context !== context) return null;
  const current = options.units ?? scriptUnits(script);
  const changed = [...current.values()].filter((u) => last.units[u.key] !== u.hash).map((u) => u.key);
  const removed = Object.keys(last.units).filter((k) => !current.has(k));
  if (changed.length === 0 && removed.length === 0) return null; // only the order changed: nothing to gain
  if (current.has(NO_UNIT) || NO_UNIT in last.units) return null;

  const find = mentionFinder(current, new Map(removed.map((k) => [k, unitName(k)])));
  const mentions = mentionGraph(current, find);
  const mentionedBy = new Map<string, string[]>();
  for (const [from, tos] of mentions) {
    for (const to of tos) {
      const list = mentionedBy.get(to);
      if (list) list.push(from);
      else mentionedBy.set(to, [from]);
    }
  }

  // Units whose stored form may differ from the last normalization's.
  const recompute = new Set<string>(changed);
  const queue = [...changed, ...removed];
  while (queue.length > 0) {
    for (const k of mentionedBy.get(queue.pop()!) ?? []) {
      if (recompute.has(k)) continue;
      recompute.add(k);
      const u = current.get(k)!;
      if (!u.table || followsParent(u)) queue.push(k);
    }
  }

  // Everything created in the shadow: those, every non-table unit, and what any of them needs. A table only
  // needed is created in part (`NEEDED_PHASES`), and what it needs is what those statements mention.
  const create = new Set<string>(recompute);
  for (const u of current.values()) if (!u.table) create.add(u.key);
  const inheriting = [...recompute].some((k) => {
    const u = current.get(k);
    return u !== undefined && u.table && followsParent(u);
  });
  const needed = new Set<string>();
  const neededMentions = (k: string) => {
    const m = find(unitText(neededStatements(current.get(k)!)));
    m.delete(k);
    return m;
  };
  const need = [...create];
  while (need.length > 0) {
    const from = need.pop()!;
    for (const k of needed.has(from) ? neededMentions(from) : (mentions.get(from) ?? [])) {
      if (!current.has(k) || create.has(k)) continue;
      create.add(k);
      if (!inheriting && inStages(current.get(k)!)) needed.add(k);
      need.push(k);
    }
  }

  const tables = [...current.values()].filter((u) => u.table);
  const createdTables = tables.filter((u) => create.has(u.key)).length;
  if (createdTables > (options.maxShare ?? 0.5) * tables.length) return null;
  const kept = new Set(tables.filter((u) => !create.has(u.key) || needed.has(u.key)).map((u) => u.key));
  const statements = script.filter((s) => {
    const unit = s.unit ?? NO_UNIT;
    return create.has(unit) && (!needed.has(unit) || NEEDED_PHASES.has(s.phase!));
  });
  return {
    statements,
    kept,
    needed,
    stats: { units: current.size, changed: changed.length, removed: removed.length, created: create.size, tables: createdTables },
  };
};

/** Constraint names Postgres makes up (`t_col_fkey`, `t_pkey1`, …): chosen to avoid names already in the schema. */
const GENERATED_CONSTRAINT_NAME = /_(?:pkey|key|fkey|check|excl|not_null)\d*$/;

/**
 * A function giving the table key that owns an object key (a table's own key, its columns, constraints, NOT NULLs,
 * triggers and policies; of `indexes` and `sequences`, the table each is on or owned by), else undefined.
 */
const tableOwner = (indexes: readonly Index[], sequences: readonly Sequence[]) => {
  const indexTable = new Map(indexes.map((i) => [indexKey(i.schema, i.name), tableKey(i.schema, i.table)]));
  const sequenceTable = new Map(
    sequences.flatMap((q) => (q.ownedBy ? [[sequenceKey(q.schema, q.name), tableKey(q.ownedBy.schema, q.ownedBy.table)] as const] : [])),
  );
  const owner = (k: string): string | undefined => {
    const { kind, parts } = parseKey(k);
    switch (kind) {
      case 'table':
      case 'column':
      case 'constraint':
      case 'not_null':
      case 'trigger':
      case 'policy':
        return tableKey(parts[0]!, parts[1]!);
      case 'index':
        return indexTable.get(k);
      case 'sequence':
        return sequenceTable.get(k);
      default:
        return undefined;
    }
  };
  return { owner, indexTable, sequenceTable };
};

/**
 * `schema` without the tables `keys` names and what they own (indexes, owned sequences, triggers, policies, the
 * dependencies of any of those): a shadow's result without the tables it created only in part.
 */
export const withoutTables = (schema: Schema, keys: ReadonlySet<string>): Schema => {
  if (keys.size === 0) return schema;
  const gone = (s: string, t: string) => keys.has(tableKey(s, t));
  const { owner } = tableOwner(schema.indexes, schema.sequences);
  const owned = (k: string): boolean => {
    const o = owner(k);
    return o !== undefined && keys.has(o);
  };
  return {
    ...schema,
    tables: schema.tables.filter((t) => !gone(t.schema, t.name)),
    indexes: schema.indexes.filter((i) => !gone(i.schema, i.table)),
    sequences: schema.sequences.filter((q) => !(q.ownedBy !== null && gone(q.ownedBy.schema, q.ownedBy.table))),
    triggers: schema.triggers.filter((t) => !gone(t.schema, t.table)),
    policies: schema.policies.filter((p) => !gone(p.schema, p.table)),
    dependencies: schema.dependencies.filter((d) => !owned(d.from)),
  };
};

/**
 * The full schema: the shadow's objects, plus the kept tables' objects (columns, constraints, indexes, triggers,
 * policies, owned sequences, dependencies) from the last normalization. Null when a name the shadow chose is
 * also a kept table's (a full normalization might have chosen another) or the last result lacks a kept table.
 */
export const spliceSchema = (last: Schema, shadow: Schema, kept: ReadonlySet<string>): Schema | null => {
  const keptTable = (schema: string, table: string) => kept.has(tableKey(schema, table));
  const tables = last.tables.filter((t) => keptTable(t.schema, t.name));
  if (tables.length !== kept.size) return null;
  if (shadow.tables.some((t) => keptTable(t.schema, t.name))) return null;
  const indexes = last.indexes.filter((i) => keptTable(i.schema, i.table));
  const sequences = last.sequences.filter((s) => s.ownedBy !== null && keptTable(s.ownedBy.schema, s.ownedBy.table));

  // Names in the schema's relation and type namespaces, and made-up constraint names, must not meet.
  const taken = new Set<string>();
  for (const o of [...tables, ...indexes, ...sequences]) taken.add(JSON.stringify([o.schema, o.name]));
  for (const t of tables) for (const c of t.constraints) taken.add(JSON.stringify([t.schema, '', c.name]));
  const shadowNames = [
    ...[...shadow.tables, ...shadow.indexes, ...shadow.sequences, ...shadow.views].map((o) => [o.schema, o.name]),
    ...[...shadow.enums, ...shadow.domains, ...shadow.composites].map((o) => [o.schema, o.name]),
    ...shadow.tables.flatMap((t) => t.constraints.filter((c) => GENERATED_CONSTRAINT_NAME.test(c.name)).map((c) => [t.schema, '', c.name])),
  ];
  if (shadowNames.some((n) => taken.has(JSON.stringify(n)))) return null;
  // A kept table's constraint whose made-up name the shadow's constraints might have taken in a full run.
  const shadowConstraints = new Set(shadow.tables.flatMap((t) => t.constraints.map((c) => JSON.stringify([t.schema, '', c.name]))));
  for (const t of tables) {
    for (const c of t.constraints) {
      if (GENERATED_CONSTRAINT_NAME.test(c.name) && shadowConstraints.has(JSON.stringify([t.schema, '', c.name]))) return null;
    }
  }

  const { owner, indexTable, sequenceTable } = tableOwner(indexes, sequences);
  // The keys of the kept tables and of what they own, to answer most of the dependencies without parsing a key.
  const keptKeys = new Set<string>([...indexTable.keys(), ...sequenceTable.keys()]);
  for (const t of tables) {
    keptKeys.add(tableKey(t.schema, t.name));
    for (const c of t.columns) keptKeys.add(columnKey(t.schema, t.name, c.name));
    for (const c of t.constraints) keptKeys.add(constraintKey(t.schema, t.name, c.name));
  }
  const keptOwner = (k: string) => {
    if (keptKeys.has(k)) return true;
    const o = owner(k);
    return o !== undefined && kept.has(o);
  };

  return sortedSchema({
    ...shadow,
    tables: [...shadow.tables, ...tables],
    indexes: [...shadow.indexes, ...indexes],
    sequences: [...shadow.sequences, ...sequences],
    triggers: [...shadow.triggers, ...last.triggers.filter((t) => keptTable(t.schema, t.table))],
    policies: [...shadow.policies, ...last.policies.filter((p) => keptTable(p.schema, p.table))],
    dependencies: [...shadow.dependencies, ...last.dependencies.filter((d) => keptOwner(d.from))],
  });
};
