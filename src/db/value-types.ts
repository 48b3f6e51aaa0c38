/**
 * The JS values `Db.query` returns, the same on both backends (so introspection reads one shape):
 * - `int2`, `int4`, `oid`, `float4`, `float8` → number; `bool` → boolean; `json`, `jsonb` → parsed JSON;
 * - `int8` and `numeric` → string (exact; `count(*)` is an int8, so cast it or use `Number()`);
 * - `timestamptz` → Date;
 * - `date`, `timestamp`, `time`, `timetz`, `interval` → the text Postgres prints (no time-zone guessing);
 * - `bytea` → Uint8Array (a Buffer on the server backend);
 * - arrays of any type that existed when the connection opened → JS arrays of the element values; arrays of types
 *   created later on the same connection come back as text (cast them, e.g. `::text[]`);
 * - everything else (`name`, `"char"`, `regclass`, `regtype`, `aclitem`, `uuid`, `inet`, enums, …) → text.
 */
export const OID = {
  int8: 20,
  point: 600,
  circle: 718,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  interval: 1186,
  timetz: 1266,
} as const;

/** Types each backend would otherwise turn into something else than the text above. */
export const TEXT_AS_IS: ReadonlySet<number> = new Set([
  OID.int8,
  OID.point,
  OID.circle,
  OID.date,
  OID.time,
  OID.timestamp,
  OID.interval,
  OID.timetz,
]);

export const asIs = (value: string): string => value;
