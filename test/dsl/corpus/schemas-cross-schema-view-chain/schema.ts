// Corpus case: sqldef/tests_dependency_ordering/CrossSchemaDependency_ViewChainAcrossThreeSchemas
import { integer, schema, sql, text } from '../../../../src/index.js';

export const base = schema('base');
export const derived = schema('derived');
export const analytics = schema('analytics');

export const rawEvents = base.table('raw_events', {
  id: integer().primaryKey(),
  eventType: text(),
});

export const processedEvents = derived.view(
  'processed_events',
  sql`SELECT id, event_type FROM ${rawEvents} WHERE event_type IS NOT NULL`,
);

export const eventSummary = analytics.view(
  'event_summary',
  sql`SELECT event_type, COUNT(*) as count FROM ${processedEvents} GROUP BY event_type`,
);
