/** Functions and procedures. */
import type { Db } from '../db/types.js';
import type { Routine } from '../model/schema.js';
import { runQuery, type Read } from './catalog.js';
import { bool, grants, int, text, textOrNull } from './decode.js';

export const readFunctions = (db: Db, params: readonly unknown[]): Promise<Read<Routine>[]> =>
  runQuery(db, 'functions', params, (r) => ({
    oid: int(r, 'oid'),
    object: {
      kind: 'function',
      schema: text(r, 'schema'),
      name: text(r, 'name'),
      identityArgs: text(r, 'identity_args'),
      procedure: bool(r, 'procedure'),
      returns: textOrNull(r, 'returns'),
      args: text(r, 'args'),
      definition: text(r, 'definition'),
      comment: textOrNull(r, 'comment'),
      grants: grants(r, 'grants'),
    },
  }));
