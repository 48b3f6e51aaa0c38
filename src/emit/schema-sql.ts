/** generated/schema.sql: the schema at head as one canonical DDL script, what reviewers read. */
import { diff } from '../diff/index.js';
import { sqlComment } from '../model/escape.js';
import { emptySchema, type Schema } from '../model/schema.js';
import { plan } from '../plan/index.js';

export const renderSchemaSql = (schema: Schema, header: readonly string[] = []): string => {
  const { steps } = plan(diff(emptySchema(schema.serverVersion), schema));
  const body = steps.map((s) => s.sql.join('\n')).join('\n\n');
  return `${header.map((h) => `-- ${sqlComment(h)}\n`).join('')}${body}${body ? '\n' : ''}`;
};
