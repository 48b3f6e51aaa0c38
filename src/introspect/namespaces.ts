/** Schemas and extensions. */
import type { Db } from '../db/types.js';
import type { Extension, Namespace } from '../model/schema.js';
import { runQuery, type Read } from './catalog.js';
import { grants, int, text, textOrNull } from './decode.js';

export const readSchemas = (db: Db, params: readonly unknown[]): Promise<Read<Namespace>[]> =>
  runQuery(db, 'schemas', params, (r) => ({
    oid: int(r, 'oid'),
    object: { kind: 'schema', name: text(r, 'name'), comment: textOrNull(r, 'comment'), grants: grants(r, 'grants') },
  }));

export const readExtensions = (db: Db, params: readonly unknown[]): Promise<Read<Extension>[]> =>
  runQuery(db, 'extensions', params, (r) => ({
    oid: int(r, 'oid'),
    object: { kind: 'extension', name: text(r, 'name'), schema: text(r, 'schema'), version: text(r, 'version') },
  }));
