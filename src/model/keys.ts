/**
 * Object keys: one string per schema object, used for maps and dependency edges. A key is the JSON of
 * `[kind, ...name parts]`, so names containing dots, quotes or spaces never collide.
 */
export type KeyKind =
  | 'schema'
  | 'extension'
  | 'type'
  | 'sequence'
  | 'table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'view'
  | 'function'
  | 'trigger'
  | 'policy'
  | 'not_null'
  | 'relation_name'
  | 'type_name';

export const key = (kind: KeyKind, ...parts: readonly string[]): string => JSON.stringify([kind, ...parts]);

export const parseKey = (k: string): { kind: KeyKind; parts: string[] } => {
  const [kind, ...parts] = JSON.parse(k) as [KeyKind, ...string[]];
  return { kind, parts };
};

export const schemaKey = (name: string) => key('schema', name);
export const extensionKey = (name: string) => key('extension', name);
/** Enums, domains and composite types share Postgres's type namespace. */
export const typeKey = (schema: string, name: string) => key('type', schema, name);
export const sequenceKey = (schema: string, name: string) => key('sequence', schema, name);
export const tableKey = (schema: string, name: string) => key('table', schema, name);
export const columnKey = (schema: string, table: string, column: string) => key('column', schema, table, column);
export const constraintKey = (schema: string, table: string, name: string) => key('constraint', schema, table, name);
export const indexKey = (schema: string, name: string) => key('index', schema, name);
/** Views and materialized views. */
export const viewKey = (schema: string, name: string) => key('view', schema, name);
export const functionKey = (schema: string, name: string, identityArgs: string) =>
  key('function', schema, name, identityArgs);
export const triggerKey = (schema: string, table: string, name: string) => key('trigger', schema, table, name);
export const policyKey = (schema: string, table: string, name: string) => key('policy', schema, table, name);

/** A column's NOT NULL: a primary key cannot exist without it, so it is dropped only after the key. */
export const notNullKey = (schema: string, table: string, column: string) => key('not_null', schema, table, column);

/**
 * A name in a schema's relation namespace (`pg_class`: tables, views, indexes, sequences, composite types) or
 * type namespace (`pg_type`: enums, domains, composites, and the row types of tables and views). Objects of
 * different kinds compete for these names: whatever gives a name up must go before whatever takes it.
 */
export const relationNameKey = (schema: string, name: string) => key('relation_name', schema, name);
export const typeNameKey = (schema: string, name: string) => key('type_name', schema, name);
