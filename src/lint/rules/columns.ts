/** Reading a column definition (`ColumnDef`) as ADD COLUMN / CREATE TABLE write it. */
import type { ColumnDef, Constraint, Node } from 'libpg-query';
import { as, functionCalls, typeInfo } from '../ast.js';

export const constraintsOf = (col: ColumnDef): Constraint[] =>
  (col.constraints ?? []).flatMap((c) => {
    const con = as(c, 'Constraint');
    return con ? [con] : [];
  });

export const defaultOf = (col: ColumnDef): Node | undefined =>
  constraintsOf(col).find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr ?? col.raw_default;

export const isNotNull = (col: ColumnDef): boolean =>
  col.is_not_null === true || constraintsOf(col).some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');

export const SERIAL_TYPES: ReadonlySet<string> = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export const isSerial = (col: ColumnDef): boolean => SERIAL_TYPES.has(typeInfo(col.typeName)?.name ?? '');

/**
 * Built-in (and common extension) functions whose volatility is VOLATILE: as a default of an added column they are
 * evaluated once per row, so PostgreSQL rewrites the table. STABLE ones such as now() are evaluated once and stored
 * as the "missing value" (PostgreSQL 11+), without a rewrite. A user-defined function is not known here.
 */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random',
  'random_normal',
  'setseed',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
  'txid_current',
  'pg_current_xact_id',
]);

/**
 * The volatile calls in an expression: built-ins known volatile, and functions the file or its context declares
 * VOLATILE (CREATE FUNCTION's default). A function declared nowhere in sight is not counted.
 */
export const volatileCalls = (
  expr: Node | undefined,
  declared: ReadonlyMap<string, 'immutable' | 'stable' | 'volatile'>,
): { name: string; location: number | undefined }[] =>
  functionCalls(expr).filter((c) => VOLATILE_FUNCTIONS.has(c.name) || declared.get(c.name) === 'volatile');
