/** Table columns, with their default or generation expression, identity, collation, comment and grants. */
import type { Db } from '../db/types.js';
import type { Column, IdentityOptions } from '../model/schema.js';
import { runQuery } from './catalog.js';
import { bool, boolOrNull, grants, int, intOrNull, text, textOrNull, type Row } from './decode.js';

export interface ReadColumn {
  readonly tableOid: number;
  /** The pg_attrdef row of the default or generation expression. */
  readonly defaultOid: number | null;
  /** Declared in this table, not only inherited from a parent (`attislocal`). */
  readonly isLocal: boolean;
  /** How many parents this column comes from (`attinhcount`). */
  readonly inheritedCount: number;
  readonly column: Column;
}

/**
 * The identity options, from the column's identity sequence. On PostgreSQL 17+ a partition's identity column
 * uses its parent's sequence and has none of its own: it reads as no identity here (the parent holds it).
 */
const identity = (r: Row): IdentityOptions | null => {
  const kind = text(r, 'identity_kind');
  const sequenceName = textOrNull(r, 'identity_sequence_name');
  if ((kind !== 'a' && kind !== 'd') || sequenceName === null) return null;
  return {
    always: kind === 'a',
    sequenceSchema: text(r, 'identity_sequence_schema'),
    sequenceName,
    type: text(r, 'identity_type'),
    start: text(r, 'identity_start'),
    increment: text(r, 'identity_increment'),
    min: text(r, 'identity_min'),
    max: text(r, 'identity_max'),
    cache: text(r, 'identity_cache'),
    cycle: boolOrNull(r, 'identity_cycle') ?? false,
  };
};

export const readColumns = (db: Db, params: readonly unknown[]): Promise<ReadColumn[]> =>
  runQuery(db, 'columns', params, (r) => {
    // attgenerated is 's' for a stored generated column ('v', virtual, exists from PostgreSQL 18).
    const kind = text(r, 'generated_kind');
    const generated = kind !== '';
    const expression = textOrNull(r, 'expression');
    return {
      tableOid: int(r, 'table_oid'),
      defaultOid: intOrNull(r, 'default_oid'),
      isLocal: bool(r, 'is_local'),
      inheritedCount: int(r, 'inherited_count'),
      column: {
        name: text(r, 'name'),
        type: text(r, 'type'),
        notNull: bool(r, 'not_null'),
        notNullName: bool(r, 'not_null') ? textOrNull(r, 'not_null_name') : null,
        default: generated ? null : expression,
        generated: generated ? expression : null,
        virtual: kind === 'v',
        identity: identity(r),
        collation: textOrNull(r, 'collation'),
        comment: textOrNull(r, 'comment'),
        position: int(r, 'position'),
        grants: grants(r, 'grants'),
      },
    };
  });
