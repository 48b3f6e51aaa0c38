/**
 * Which statements of a step destroy rows (DESIGN §9 "No row is lost silently"), read from Postgres's own parse
 * tree of the file that will run, so a hand-edited down is judged as written: DROP TABLE, ALTER TABLE … DROP
 * COLUMN, ALTER COLUMN … TYPE (narrowing is decided against the live type, see preflight.ts), and an enum rebuild
 * (CREATE TYPE … AS ENUM followed by columns converted to it) that leaves out labels rows may hold.
 * Pure: the live side (does the table exist, how many rows) is preflight.ts's.
 */
import type { TypeInfo } from '../model/type-change.js';
import { as, names, typeInfo } from '../lint/ast.js';
import { parseSqlScript, type SqlStatement } from '../db/split-sql.js';
import { ARCHIVE_SCHEMA } from '../render/archive.js';
import { TEMP_PREFIX } from '../render/online.js';

export type LossSite =
  | { readonly kind: 'drop_table'; readonly schema: string; readonly table: string }
  | { readonly kind: 'drop_column'; readonly schema: string; readonly table: string; readonly column: string }
  | { readonly kind: 'alter_type'; readonly schema: string; readonly table: string; readonly column: string; readonly to: TypeInfo }
  | {
      readonly kind: 'enum_rebuild';
      readonly schema: string;
      readonly table: string;
      readonly column: string;
      /** The enum the column is converted to, and the labels it will have. */
      readonly type: string;
      readonly labels: readonly string[];
    };

/** Schemas whose tables are keikaku's own (the down of a restore drops its archive table there). */
const OWN = new Set([ARCHIVE_SCHEMA, 'keikaku']);

/** `schema.name` of a name list, unqualified names taken as public (keikaku always qualifies). */
const split = (parts: readonly string[]): { schema: string; name: string } =>
  parts.length > 1 ? { schema: parts.at(-2)!, name: parts.at(-1)! } : { schema: 'public', name: parts[0] ?? '' };

const typeKey = (parts: readonly string[]) => {
  const { schema, name } = split(parts);
  return `${schema}.${name}`;
};

/** The row-destroying statements of one step (its statements in order). */
export const lossSites = async (statements: readonly SqlStatement[], file: string): Promise<LossSite[]> => {
  const out: LossSite[] = [];
  /** Enums created in this step: key → labels. */
  const enums = new Map<string, string[]>();
  /**
   * Tables on which this step drops a keikaku `_kk_` trigger: a column dropped with it is the copy that trigger
   * kept in step with another column (an online rename or type change), so its values live on in that column.
   */
  const synced = new Set<string>();
  for (const s of statements) {
    for (const p of (await parseSqlScript(s.text, file)).statements) {
      const drop = as(p.node, 'DropStmt');
      if (drop?.removeType === 'OBJECT_TABLE')
        for (const o of drop.objects ?? []) {
          const { schema, name } = split(names(as(o, 'List')?.items));
          if (!OWN.has(schema)) out.push({ kind: 'drop_table', schema, table: name });
        }
      if (drop?.removeType === 'OBJECT_TRIGGER')
        for (const o of drop.objects ?? []) {
          const parts = names(as(o, 'List')?.items);
          if (parts.at(-1)?.startsWith(TEMP_PREFIX)) synced.add(typeKey(parts.slice(0, -1)));
        }
      const created = as(p.node, 'CreateEnumStmt');
      if (created) enums.set(typeKey(names(created.typeName)), names(created.vals));
      const alter = as(p.node, 'AlterTableStmt');
      if (!alter?.relation?.relname || alter.objtype !== 'OBJECT_TABLE') continue;
      const schema = alter.relation.schemaname ?? 'public';
      const table = alter.relation.relname;
      if (OWN.has(schema)) continue;
      for (const c of alter.cmds ?? []) {
        const cmd = as(c, 'AlterTableCmd');
        if (!cmd?.name) continue;
        if (cmd.subtype === 'AT_DropColumn' && !cmd.name.startsWith(TEMP_PREFIX) && !synced.has(`${schema}.${table}`))
          out.push({ kind: 'drop_column', schema, table, column: cmd.name });
        if (cmd.subtype !== 'AT_AlterColumnType') continue;
        const typeName = as(cmd.def, 'ColumnDef')?.typeName;
        const to = typeInfo(typeName);
        if (!to) continue;
        const labels = enums.get(typeKey(names(typeName?.names)));
        if (labels) out.push({ kind: 'enum_rebuild', schema, table, column: cmd.name, type: typeKey(names(typeName?.names)), labels });
        else out.push({ kind: 'alter_type', schema, table, column: cmd.name, to });
      }
    }
  }
  return out;
};
