/** The per-argument facts of functions (`sql/routines.sql`), read in introspection's session (empty search_path). */
import { readFile } from 'node:fs/promises';
import type { Db } from '../db/types.js';
import { bool, type Row, text, textArray } from '../introspect/decode.js';
import { closeSession, openSession } from '../introspect/session.js';
import * as K from '../model/keys.js';

export interface RoutineDetails {
  readonly argNames: readonly string[];
  /** `i`, `o`, `b` (inout), `v` (variadic), `t` (a column of RETURNS TABLE). */
  readonly argModes: readonly string[];
  readonly argTypes: readonly string[];
  readonly language: string;
  readonly volatility: 'i' | 's' | 'v';
  readonly strict: boolean;
  readonly securityDefiner: boolean;
  readonly leakproof: boolean;
  readonly parallel: 's' | 'r' | 'u';
  readonly cost: number;
  readonly rows: number;
  readonly returnsSet: boolean;
  readonly source: string;
}

const decode = (r: Row): [string, RoutineDetails] => [
  K.functionKey(text(r, 'schema'), text(r, 'name'), text(r, 'identity_args')),
  {
    argNames: textArray(r, 'arg_names'),
    argModes: textArray(r, 'arg_modes'),
    argTypes: textArray(r, 'arg_types'),
    language: text(r, 'language'),
    volatility: text(r, 'volatility') as RoutineDetails['volatility'],
    strict: bool(r, 'strict'),
    securityDefiner: bool(r, 'security_definer'),
    leakproof: bool(r, 'leakproof'),
    parallel: text(r, 'parallel') as RoutineDetails['parallel'],
    cost: Number(r.cost),
    rows: Number(r.rows),
    returnsSet: bool(r, 'returns_set'),
    source: text(r, 'source'),
  },
];

/** Details of every function, by model key. */
export const readRoutineDetails = async (db: Db, schemas: readonly string[] | null): Promise<Map<string, RoutineDetails>> => {
  const sql = await readFile(new URL('../../src/pull/sql/routines.sql', import.meta.url), 'utf8');
  const session = await openSession(db);
  try {
    const rows = await db.query<Row>(sql, [schemas ? [...schemas] : null]);
    return new Map(rows.map(decode));
  } finally {
    await closeSession(db, session);
  }
};
