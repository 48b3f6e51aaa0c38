/** Enums, domains and composite types. */
import type { Db } from '../db/types.js';
import type { CompositeType, DomainType, EnumType } from '../model/schema.js';
import { runQuery, type Read } from './catalog.js';
import { bool, int, jsonRows, text, textArray, textOrNull } from './decode.js';
import { byText } from './order.js';

/** A type with the oid of its array type, which stands for the type in dependencies. */
export interface ReadType<T> extends Read<T> {
  readonly arrayOid: number;
}

export const readEnums = (db: Db, params: readonly unknown[]): Promise<ReadType<EnumType>[]> =>
  runQuery(db, 'enums', params, (r) => ({
    oid: int(r, 'oid'),
    arrayOid: int(r, 'array_oid'),
    object: {
      kind: 'enum',
      schema: text(r, 'schema'),
      name: text(r, 'name'),
      labels: textArray(r, 'labels'),
      comment: textOrNull(r, 'comment'),
    },
  }));

export interface ReadDomain extends ReadType<DomainType> {
  /** pg_constraint oids of the domain's checks. */
  readonly checkOids: readonly number[];
}

export const readDomains = (db: Db, params: readonly unknown[]): Promise<ReadDomain[]> =>
  runQuery(db, 'domains', params, (r) => {
    const checks = jsonRows(r, 'checks').sort(byText((c) => [text(c, 'name')]));
    return {
      oid: int(r, 'oid'),
      arrayOid: int(r, 'array_oid'),
      checkOids: checks.map((c) => int(c, 'oid')),
      object: {
        kind: 'domain',
        schema: text(r, 'schema'),
        name: text(r, 'name'),
        baseType: text(r, 'base_type'),
        notNull: bool(r, 'not_null'),
        default: textOrNull(r, 'default'),
        collation: textOrNull(r, 'collation'),
        checks: checks.map((c) => ({
          name: text(c, 'name'),
          definition: text(c, 'definition'),
          validated: bool(c, 'validated'),
        })),
        comment: textOrNull(r, 'comment'),
      },
    };
  });

export interface ReadComposite extends ReadType<CompositeType> {
  /** The pg_class row (relkind 'c') that holds the attributes. */
  readonly classOid: number;
}

export const readComposites = (db: Db, params: readonly unknown[]): Promise<ReadComposite[]> =>
  runQuery(db, 'composites', params, (r) => ({
    oid: int(r, 'oid'),
    arrayOid: int(r, 'array_oid'),
    classOid: int(r, 'class_oid'),
    object: {
      kind: 'composite',
      schema: text(r, 'schema'),
      name: text(r, 'name'),
      attributes: jsonRows(r, 'attributes').map((a) => ({
        name: text(a, 'name'),
        type: text(a, 'type'),
        collation: textOrNull(a, 'collation'),
      })),
      comment: textOrNull(r, 'comment'),
    },
  }));
