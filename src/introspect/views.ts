/** Views and materialized views. */
import type { Db } from '../db/types.js';
import type { View } from '../model/schema.js';
import { runQuery, type Read } from './catalog.js';
import { bool, grants, int, intArray, intOrNull, jsonRows, text, textArray, textOrNull } from './decode.js';

export interface ReadView extends Read<View> {
  /** The view's row type and its array type, which stand for the view in dependencies. */
  readonly typeOid: number;
  readonly arrayOid: number | null;
  /** The `_RETURN` rule: a view's own dependencies are recorded on it. */
  readonly ruleOid: number | null;
  /** Column numbers, parallel to `object.columns` (an index on a materialized view names them). */
  readonly positions: readonly number[];
}

export const readViews = (db: Db, params: readonly unknown[]): Promise<ReadView[]> =>
  runQuery(db, 'views', params, (r) => ({
    oid: int(r, 'oid'),
    typeOid: int(r, 'type_oid'),
    arrayOid: intOrNull(r, 'array_oid'),
    ruleOid: intOrNull(r, 'rule_oid'),
    positions: intArray(r, 'positions'),
    object: {
      kind: 'view',
      schema: text(r, 'schema'),
      name: text(r, 'name'),
      materialized: bool(r, 'materialized'),
      definition: text(r, 'definition'),
      options: textArray(r, 'options'),
      columns: textArray(r, 'columns'),
      columnComments: jsonRows(r, 'column_comments').map((c) => ({
        column: text(c, 'column'),
        comment: text(c, 'comment'),
      })),
      comment: textOrNull(r, 'comment'),
      grants: grants(r, 'grants'),
    },
  }));
