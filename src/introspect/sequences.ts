/** Stand-alone and serial sequences (identity sequences are part of their column). */
import type { Db } from '../db/types.js';
import type { Sequence } from '../model/schema.js';
import { runQuery, type Read } from './catalog.js';
import { bool, grants, int, text, textOrNull } from './decode.js';

export const readSequences = (db: Db, params: readonly unknown[]): Promise<Read<Sequence>[]> =>
  runQuery(db, 'sequences', params, (r) => {
    const ownerTable = textOrNull(r, 'owned_by_table');
    return {
      oid: int(r, 'oid'),
      object: {
        kind: 'sequence',
        schema: text(r, 'schema'),
        name: text(r, 'name'),
        type: text(r, 'type'),
        start: text(r, 'start'),
        increment: text(r, 'increment'),
        min: text(r, 'min'),
        max: text(r, 'max'),
        cache: text(r, 'cache'),
        cycle: bool(r, 'cycle'),
        ownedBy:
          ownerTable === null
            ? null
            : { schema: text(r, 'owned_by_schema'), table: ownerTable, column: text(r, 'owned_by_column') },
        comment: textOrNull(r, 'comment'),
        grants: grants(r, 'grants'),
      },
    };
  });
