/** The typed columns of views (`keikaku types`): the schema model keeps only their names. */
import type { Db } from '../db/types.js';
import { runQuery } from './catalog.js';
import { text } from './decode.js';

export interface ReadViewColumn {
  readonly schema: string;
  readonly view: string;
  readonly name: string;
  /** `format_type` text, as columns of tables have it. */
  readonly type: string;
}

export const readViewColumns = (db: Db): Promise<ReadViewColumn[]> =>
  runQuery(db, 'view-columns', [], (r) => ({ schema: text(r, 'schema'), view: text(r, 'name'), name: text(r, 'column'), type: text(r, 'type') }));
