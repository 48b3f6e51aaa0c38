import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `test/support/paths.ts`). */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The shared folder beside the clone (`/work/shared` next to `/work/main`; in CI a copy beside the fresh clone).
 * A clone on its own has none: tests that need it skip (see `sharedAcceptance`).
 */
export const sharedDir = path.resolve(projectRoot, '../shared');

/** The shared acceptance folder (corpus, the shared catalog snapshot), or null when it is not beside the clone. */
export const sharedAcceptanceDir: string | null = existsSync(path.join(sharedDir, 'acceptance')) ? path.join(sharedDir, 'acceptance') : null;

/** Why tests over the shared corpus are skipped; printed once per test file that skips them. */
export const SHARED_MISSING = '../shared/acceptance not found: corpus tests skipped';

/** keikaku's own catalog oracle (test/README.md): one sorted line per user-visible schema object. */
export const catalogSnapshotPath = path.join(projectRoot, 'test/support/catalog-snapshot.sql');
