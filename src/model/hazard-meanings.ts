/**
 * What each hazard of the closed catalog (DESIGN §8) means, in one sentence: the reference the hazards page
 * (docs/hazards.md) is generated from. A `Record` over `HazardCode`, so a new code fails to compile until it is
 * explained here.
 */
import type { HazardCode } from './hazard.js';

export const HAZARD_MEANINGS: Readonly<Record<HazardCode, string>> = {
  DELETES_DATA: 'drops a table, column, sequence, schema or extension and what it holds',
  TABLE_REWRITE:
    'rewrites the whole table under an ACCESS EXCLUSIVE lock (a type change PostgreSQL cannot make in the catalog alone, a stored generated column, an enum rebuild); widening a `varchar`/`numeric` limit or a time precision is not one',
  ACCESS_EXCLUSIVE_LOCK: 'blocks every read and write of the table while it runs',
  BLOCKS_WRITES: 'blocks writes to the table while it runs (e.g. `CREATE INDEX` without `CONCURRENTLY`)',
  VALIDATION_SCAN: 'scans the table to validate (`SET NOT NULL`, a validated CHECK or foreign key)',
  INDEX_BUILD: 'builds an index',
  BREAKS_OLD_CLIENTS: 'code still using the old name or shape fails after this step (renames, a new NOT NULL rule)',
  NON_TRANSACTIONAL: 'must run outside a transaction block, or be committed before what follows uses it',
  IRREVERSIBLE: 'its downgrade cannot bring the data back',
  BACKFILL: 'existing rows need data (a NOT NULL column without a default on a filled table)',
  UNSAFE_ENUM_CHANGE: 'removes or reorders enum values: fails if a row still uses a removed value',
};
