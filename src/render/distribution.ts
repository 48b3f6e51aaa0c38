/**
 * The statement that distributes a table just created, where Citus is installed: a DO block that does nothing on
 * plain PostgreSQL (the shadow, `verify`, a database without the extension), so the same migration replays
 * everywhere and a reviewer reads the call. Untested on Citus (docs/distributed.md).
 */
import type { Distribution } from '../dsl/distribution.js';
import { dollarQuoted, literal, qname } from './quote.js';

export const distributeTableSql = (schema: string, name: string, d: Distribution): string => {
  const table = literal(qname(schema, name));
  const call =
    d.kind === 'reference'
      ? `PERFORM create_reference_table(${table});`
      : `PERFORM create_distributed_table(${table}, ${literal(d.column)}${d.colocateWith ? `, colocate_with => ${literal(qname(d.colocateWith.schema, d.colocateWith.name))}` : ''});`;
  return `DO ${dollarQuoted(` BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN ${call} END IF; END `)};`;
};
