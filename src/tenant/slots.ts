/**
 * Where a parse tree (libpg-query, v18) names a schema. `mapSchemaSlots` rewrites the strings at those places and
 * nowhere else; `retarget.ts` holds the rewritten SQL's tree against the original's mapped this way, so a place
 * this module does not know makes the check fail (the migration is refused), never a wrong rewrite accepted.
 *
 * A schema is named by `RangeVar.schemaname`, and by the first part of a qualified name list:
 * `schema.name` (index length-2) in type, function, operator-class … names and `DROP`/`COMMENT` objects;
 * `schema.table.part` (index length-3) for a column reference, `%TYPE`, `OWNED BY`, and the objects of `COMMENT ON
 * COLUMN / CONSTRAINT / TRIGGER / POLICY / RULE`, `DROP TRIGGER / POLICY / RULE`.
 */

type Tree = unknown;

/** Keys whose value is a qualified name: a list of String nodes, `[schema,] name`. */
const QUALIFIED = new Set([
  'names', 'funcname', 'objname', 'typeName', 'domainname', 'defnames', 'collname', 'opclassname', 'opfamilyname',
  'conversion_name', 'handler_name', 'inline_handler', 'validator',
]);

/** Object types whose object list is `[schema,] table, part`. */
const ON_TABLE = new Set(['OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE']);

/** Keys of positions in the source text: they move with the rewrite, so they are not compared. */
const POSITIONS = new Set(['location', 'stmt_location', 'stmt_len']);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const stringOf = (n: unknown): string | undefined => {
  if (!isObject(n) || !isObject(n.String)) return undefined;
  const s = n.String.sval;
  return typeof s === 'string' ? s : '';
};

/** `list` with `f` applied to its part `fromEnd` from the end, when it is a list of String nodes that long. */
const mapName = (list: readonly unknown[], fromEnd: number, f: (schema: string) => string): unknown[] | undefined => {
  if (!list.every((n) => stringOf(n) !== undefined)) return undefined;
  const at = list.length - fromEnd;
  return list.map((n, i) => (i === at ? { String: { sval: f(stringOf(n)!) } } : walk(n, f, {})));
};

interface Context {
  /** The key this value is found under (arrays pass it on to their items). */
  readonly key?: string | undefined;
  /** A `List` node here is an object name whose schema is this far from its end (DROP, COMMENT objects). */
  readonly objectList?: number | undefined;
}

/** The tree with position keys removed and `f` applied to every schema name (see the module comment). */
export const mapSchemaSlots = (tree: Tree, f: (schema: string) => string): Tree => walk(tree, f, {});

const walk = (v: Tree, f: (schema: string) => string, ctx: Context): Tree => {
  if (Array.isArray(v)) {
    if (ctx.key !== undefined && QUALIFIED.has(ctx.key)) {
      const named = mapName(v, 2, f);
      if (named) return named;
    }
    return v.map((x) => walk(x, f, ctx));
  }
  if (!isObject(v)) return v;
  // The object type (COMMENT, DROP, …) decides how its object lists read.
  const type = v.objtype ?? v.removeType ?? v.renameType;
  const objectList = typeof type === 'string' && ON_TABLE.has(type) ? 3 : 2;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (POSITIONS.has(k)) continue;
    if (k === 'List' && isObject(x) && Array.isArray(x.items) && ctx.objectList !== undefined) {
      const items = mapName(x.items, ctx.objectList, f);
      out[k] = items ? { ...walkFields(x, f, ['items']), items } : walk(x, f, { key: k });
    } else if (k === 'schemaname' && typeof x === 'string' && isRangeVar(v)) {
      out[k] = f(x);
    } else if (k === 'ColumnRef' && isObject(x) && Array.isArray(x.fields)) {
      const fields = x.fields;
      const at = fields.length - 3;
      out[k] = { ...walkFields(x, f, ['fields']), fields: fields.map((n, i) => (i === at && stringOf(n) !== undefined ? { String: { sval: f(stringOf(n)!) } } : walk(n, f, {}))) };
    } else if (k === 'names' && Array.isArray(x) && v.pct_type === true) {
      out[k] = mapName(x, 3, f) ?? walk(x, f, {});
    } else if (k === 'arg' && (v.defname === 'owned_by' || v.defname === 'sequence_name')) {
      out[k] = walk(x, f, { key: k, objectList: v.defname === 'owned_by' ? 3 : 2 });
    } else out[k] = walk(x, f, { key: k, objectList: k === 'object' || k === 'objects' ? objectList : undefined });
  }
  return out;
};

/** A RangeVar, wrapped (`{ RangeVar: … }`) or not (`CreateStmt.relation`): the parser always sets these two. */
const isRangeVar = (v: Record<string, unknown>): boolean => typeof v.relname === 'string' && 'relpersistence' in v;

/** The fields of a node walked, but for `skip` (the caller maps those itself). */
const walkFields = (x: Record<string, unknown>, f: (schema: string) => string, skip: readonly string[]): Record<string, unknown> => {
  const rest = Object.fromEntries(Object.entries(x).filter(([k]) => !skip.includes(k)));
  return walk(rest, f, {}) as Record<string, unknown>;
};

/** Every schema name the tree holds (see the module comment), in order. */
export const schemaNames = (tree: Tree): string[] => {
  const out: string[] = [];
  mapSchemaSlots(tree, (s) => {
    out.push(s);
    return s;
  });
  return out;
};
