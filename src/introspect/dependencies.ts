/** `pg_depend`, read as edges between catalog identities and translated to edges between model objects. */
import type { Db } from '../db/types.js';
import { runQuery } from './catalog.js';
import { int, intOrNull, text } from './decode.js';
import type { ObjectIds } from './object-ids.js';

export interface ReadEdge {
  readonly catalog: string;
  readonly oid: number;
  readonly subId: number;
  readonly refCatalog: string;
  readonly refOid: number;
  readonly refSubId: number;
  /** The extension the referenced object belongs to, if any: the extension stands for it. */
  readonly refExtensionOid: number | null;
}

export const readDependencies = (db: Db): Promise<ReadEdge[]> =>
  runQuery(db, 'dependencies', [], (r) => ({
    catalog: text(r, 'class'),
    oid: int(r, 'oid'),
    subId: int(r, 'sub_id'),
    refCatalog: text(r, 'ref_class'),
    refOid: int(r, 'ref_oid'),
    refSubId: int(r, 'ref_sub_id'),
    refExtensionOid: intOrNull(r, 'ext_oid'),
  }));

/** Adds the edges whose both ends are model objects; the rest (system objects, parts left out) are dropped. */
export const addDependencies = (ids: ObjectIds, edges: readonly ReadEdge[]): void => {
  for (const e of edges) {
    const to =
      e.refExtensionOid !== null
        ? ids.nodeOf('pg_extension', e.refExtensionOid, 0)
        : ids.nodeOf(e.refCatalog, e.refOid, e.refSubId);
    ids.edge(ids.nodeOf(e.catalog, e.oid, e.subId), to);
  }
};
