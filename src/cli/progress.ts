/**
 * Backfill progress as `apply` shows it: rows done of the total, the rate since the first report and the time
 * left at that rate. On a terminal one line is redrawn in place as a bar; in a log, a line at most once a second
 * per table, and always the last one — once: a backfill reports each batch, and an empty table's reports are all
 * "done". Pure: the clock comes in with each report.
 */

export interface ProgressReport {
  /** Identifies one backfill (migration, file, table). */
  readonly key: string;
  readonly table: string | undefined;
  readonly done: number;
  readonly total: number;
  /** Milliseconds, any monotonic origin. */
  readonly now: number;
  /** Replica lag while a throttle watches it, e.g. `replica lag 1.2 MB, 300 ms`; shown at the end of the line. */
  readonly lag?: string | undefined;
}

const seconds = (s: number): string =>
  s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${Math.ceil(s)}s`;

const count = (n: number): string => n.toLocaleString('en-US');

export class ProgressMeter {
  readonly #first = new Map<string, { done: number; at: number }>();
  readonly #shown = new Map<string, number>();
  readonly #finished = new Set<string>();

  constructor(private readonly tty: boolean, private readonly width = 24) {}

  /** The text to write for this report (with its line ending or carriage return), or undefined to stay quiet. */
  update(r: ProgressReport): string | undefined {
    if (this.#finished.has(r.key)) return undefined;
    const first = this.#first.get(r.key) ?? { done: r.done, at: r.now };
    if (!this.#first.has(r.key)) this.#first.set(r.key, first);
    const final = r.done >= r.total;
    if (final) this.#finished.add(r.key);
    if (r.total === 0) return `${this.tty ? '\r' : ''}  ${this.tty ? '' : 'progress '}${r.table ?? 'backfill'}: no rows to backfill\n`;
    const elapsed = (r.now - first.at) / 1000;
    const rate = elapsed > 0 ? (r.done - first.done) / elapsed : 0;
    const pct = r.total > 0 ? Math.min(100, Math.floor((100 * r.done) / r.total)) : 100;
    const eta = final ? 'done' : rate > 0 ? `ETA ${seconds((r.total - r.done) / rate)}` : 'ETA …';
    const what = `${r.table ?? 'backfill'}: ${count(r.done)}/${count(r.total)} rows (${pct}%)${rate > 0 ? `, ${count(Math.round(rate))} rows/s` : ''}, ${eta}${r.lag ? `, ${r.lag}` : ''}`;
    if (this.tty) {
      const filled = Math.round((this.width * pct) / 100);
      return `\r  [${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${what}${final ? '\n' : ''}`;
    }
    if (!final && r.now - (this.#shown.get(r.key) ?? -Infinity) < 1000) return undefined;
    this.#shown.set(r.key, r.now);
    return `  progress ${what}\n`;
  }
}
