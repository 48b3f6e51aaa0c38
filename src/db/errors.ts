/**
 * An expected failure the user can act on (bad URL, unreachable server, a rejected statement in a .sql file).
 * The CLI prints only `message` (no stack) and exits with `exitCode` (DESIGN §4: 1 error, 2 differences,
 * 3 refused). The message never contains a password.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3 = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** The fields of a PostgreSQL ErrorResponse that both backends (`pg` and PGlite) put on their error objects. */
export interface PgErrorFields {
  readonly message: string;
  /** SQLSTATE, e.g. `42P01`. */
  readonly code: string;
  /** 1-based character (code point) offset into the statement text, when Postgres reports one. */
  readonly position?: number;
  readonly detail?: string;
  readonly hint?: string;
  readonly where?: string;
}

/**
 * Reads the ErrorResponse fields from an error thrown by `Db.query` / `Db.exec`, whichever backend threw it;
 * `undefined` when the error did not come from the server (a lost connection, a bug).
 */
export const pgErrorFields = (error: unknown): PgErrorFields | undefined => {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & Record<string, unknown>;
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const position = Number(e.position);
  return {
    message: e.message,
    code: e.code,
    ...(Number.isInteger(position) && position > 0 ? { position } : {}),
    ...(text(e.detail) ? { detail: text(e.detail) } : {}),
    ...(text(e.hint) ? { hint: text(e.hint) } : {}),
    ...(text(e.where) ? { where: text(e.where) } : {}),
  };
};
