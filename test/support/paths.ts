import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `test/support/paths.ts`). */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The shared folder beside the clone (`/work/shared` next to `/work/main`; in CI a copy beside the fresh clone).
 */
export const sharedDir = path.resolve(projectRoot, '../shared');

/** The acceptance oracle: one sorted line per schema object. */
export const snapshotSqlPath = path.resolve(sharedDir, 'acceptance/snapshot.sql');
