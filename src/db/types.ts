/** The one interface every stage uses to talk to PostgreSQL, whether a server (`pg`) or embedded (PGlite). */
export interface Db {
  /** Runs one statement with optional `$n` parameters and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of one or more statements with no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** Where this is, for messages; never contains a password. */
  readonly label: string;
}
