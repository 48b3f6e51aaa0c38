/**
 * The columns of the declared views with their types: the declared schema created in a shadow (as `normalize`
 * does) and the views' columns read back. Only `keikaku types` needs them, and only when views are declared.
 */
import { readViewColumns, type ReadViewColumn } from '../introspect/view-columns.js';
import type { ShadowOptions } from './history-schema.js';
import { withShadow } from './history-schema.js';
import type { LoadedSchema } from './schema-dir.js';
import { applyScript } from './shadow.js';
import { ident } from '../render/quote.js';

export const declaredViewColumns = (loaded: Pick<LoadedSchema, 'script' | 'extensions' | 'roles'>, options: ShadowOptions): Promise<ReadViewColumn[]> =>
  withShadow(loaded.extensions.map((e) => `CREATE EXTENSION ${ident(e)};`).join('\n'), options, async (db) => {
    await applyScript(db, loaded, !options.shadowUrl);
    return readViewColumns(db);
  });
