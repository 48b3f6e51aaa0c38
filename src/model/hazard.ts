/** The closed hazard catalog (DESIGN §8). Hazards are decided from typed changes, never from SQL text. */
export const HAZARD_CODES = [
  'DELETES_DATA',
  'TABLE_REWRITE',
  'ACCESS_EXCLUSIVE_LOCK',
  'BLOCKS_WRITES',
  'VALIDATION_SCAN',
  'INDEX_BUILD',
  'BREAKS_OLD_CLIENTS',
  'NON_TRANSACTIONAL',
  'IRREVERSIBLE',
  'BACKFILL',
  'UNSAFE_ENUM_CHANGE',
] as const;

export type HazardCode = (typeof HAZARD_CODES)[number];

export interface Hazard {
  readonly code: HazardCode;
  /** What it means for this step, in one sentence. */
  readonly message: string;
  /** Why the plan takes the risk on its own (`archived in keikaku_archive; the down restores it`), if it does. */
  readonly mitigation?: string;
  /** With a live database: the table the step works on, its estimated rows (`reltuples`) and total bytes. */
  readonly size?: TableSize;
}

export interface TableSize {
  /** `schema.table`. */
  readonly table: string;
  readonly rows: number;
  readonly bytes: number;
}
