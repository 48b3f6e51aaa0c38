/** The one interface every stage uses to talk to PostgreSQL, whether a server (`pg`) or embedded (PGlite). */
export interface Db {
  /** Runs one statement with optional `$n` parameters and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * Runs one statement as `query` does, handing each row to `onRow` as it arrives instead of collecting them: a
   * large result is never held whole. Optional: a `Db` without it is read through `query`.
   */
  eachRow?<R = Record<string, unknown>>(sql: string, params: readonly unknown[], onRow: (row: R) => void): Promise<void>;
  /** Runs a script of one or more statements with no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Listens to the NOTICE (and other non-error) messages the server sends, e.g. `RAISE NOTICE` in a `DO` block;
   * returns the function that stops listening. Optional: a `Db` that cannot report them leaves it out.
   */
  onNotice?(listener: (notice: DbNotice) => void): () => void;
  /** Where this is, for messages; never contains a password. */
  readonly label: string;
}

/** A non-error message from the server (NOTICE, WARNING, INFO, …). */
export interface DbNotice {
  readonly severity: string;
  readonly message: string;
}
