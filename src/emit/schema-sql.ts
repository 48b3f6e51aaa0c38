/** generated/schema.sql: the schema at head as one canonical DDL script, what reviewers read. */
import { diff } from '../diff/index.js';
import { sqlComment } from '../model/escape.js';
import { emptySchema, type Schema } from '../model/schema.js';
import { plan } from '../plan/index.js';

/** Each schema's script, made once (schemas are not changed once made). */
const bodies = new WeakMap<Schema, string>();

const body = (schema: Schema): string => {
  let text = bodies.get(schema);
  if (text === undefined) {
    const { steps } = plan(diff(emptySchema(schema.serverVersion), schema));
    text = steps.map((s) => s.sql.join('\n')).join('\n\n');
    bodies.set(schema, text);
  }
  return text;
};

/** Makes `schema`'s script now, for a `renderSchemaSql` of it that will likely come (the daemon, after a save). */
export const prepareSchemaSql = (schema: Schema): void => void body(schema);

export const renderSchemaSql = (schema: Schema, header: readonly string[] = []): string => {
  const text = body(schema);
  return `${header.map((h) => `-- ${sqlComment(h)}\n`).join('')}${text}${text ? '\n' : ''}`;
};
