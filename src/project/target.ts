/**
 * Which database a command acts on, the same way in every command that touches one: `--database-url`, else
 * `--env NAME` (an environment of keikaku.config.ts), else `DATABASE_URL` (environment, then `.env`); and whether it
 * is production (the flag, the config's environment, or the mark kept in the database itself).
 */
import { localIdentity } from '../apply/journal.js';
import { isMarkedProduction, writeMark } from '../apply/mark.js';
import type { ResolvedConfig } from '../config/index.js';
import { pgErrorFields, UserError } from '../db/errors.js';
import type { Db } from '../db/types.js';
import { describeTarget, parsePgUrl } from '../db/url.js';

export interface Target {
  readonly url: string;
  /** `postgres://user@host:port/db`, never the password. */
  readonly label: string;
  readonly database: string;
  /** Where the URL came from, for the header line. */
  readonly source: string;
  readonly production: boolean;
  /** What made it production: `--production`, the config's environment, or the mark in the database itself. */
  readonly productionBy?: 'flag' | 'config' | 'database' | undefined;
}

export interface TargetArgs {
  readonly databaseUrl?: string | undefined;
  readonly env?: string | undefined;
  readonly production?: boolean | undefined;
}

const envUrl = (value: string, name: string): string => {
  if (!value.startsWith('env:')) return value;
  const variable = value.slice(4);
  const url = process.env[variable];
  if (!url) throw new UserError(`environment "${name}" reads its URL from $${variable}, which is not set`);
  return url;
};

/**
 * The database to act on: `--database-url`, else the config's environment `--env NAME`, else `DATABASE_URL`
 * (environment, then `.env`). It is production when `--production` says so, or its environment is marked
 * `production`, or (for a URL given directly) a production environment of the config has the same URL.
 */
export const resolveTarget = (config: ResolvedConfig, args: TargetArgs): Target => {
  const envs = config.environments;
  let url: string | undefined;
  let source: string;
  let production = args.production === true;
  let productionBy: Target['productionBy'] = production ? 'flag' : undefined;
  if (args.databaseUrl) {
    url = args.databaseUrl;
    source = '--database-url';
  } else if (args.env) {
    const env = envs[args.env];
    if (!env) {
      const names = Object.keys(envs);
      throw new UserError(
        `--env ${args.env}: no such environment in ${config.configFile ?? 'keikaku.config.ts (absent)'}${names.length ? `; known: ${names.join(', ')}` : ''}`,
      );
    }
    url = env.url ? envUrl(env.url, args.env) : config.databaseUrl;
    source = `environment ${args.env}${env.url ? '' : ' (DATABASE_URL)'}`;
    if (env.production === true && !production) [production, productionBy] = [true, 'config'];
  } else {
    url = config.databaseUrl;
    source = 'DATABASE_URL';
  }
  if (!url) throw new UserError('no database: pass --database-url URL or --env NAME, or set DATABASE_URL (environment or .env)');
  for (const [name, env] of Object.entries(envs)) {
    if (!env.production || !env.url) continue;
    try {
      if (!production && describeTarget(envUrl(env.url, name)) === describeTarget(url)) [production, productionBy] = [true, 'config'];
    } catch {
      // an environment whose URL cannot be read is not this one
    }
  }
  return { url, label: describeTarget(url), database: parsePgUrl(url).target.database, source, production, productionBy };
};

/**
 * After connecting: a database marked production (`keikaku env mark production`) is production whatever URL,
 * host alias, socket or role reached it.
 */
export const withDatabaseMark = async (target: Target, db: Db): Promise<Target> => {
  if (target.production) return target;
  let marked: boolean;
  try {
    marked = await isMarkedProduction(db);
  } catch (error) {
    const reason = pgErrorFields(error)?.message ?? (error instanceof Error ? error.message : String(error));
    throw new UserError(`${target.label}: cannot read the production mark (keikaku.environment_mark): ${reason}; nothing was changed`, 1, { cause: error });
  }
  return marked ? { ...target, production: true, productionBy: 'database', source: `${target.source}, marked production in the database` } : target;
};

/**
 * Once a production environment of the config has been confirmed and is acted on, the database carries the mark
 * itself, so that a later route to it that the config does not name (`localhost` for `127.0.0.1`, a socket) is
 * guarded too.
 */
export const recordProductionMark = async (target: Target, db: Db): Promise<void> => {
  if (target.productionBy === 'config' && !(await isMarkedProduction(db))) await writeMark(db, 'production', localIdentity());
};

/**
 * The production gate of every command that writes to a database: a production one (flag, config or its own mark)
 * only with `yes`, or once `confirm` returns (it throws to stop); without either, refused with exit 3 (`refusal`
 * says what would have been done, e.g. `refusing to … production database X`).
 */
export const guardProduction = async (
  target: Target,
  o: { readonly yes?: boolean | undefined; readonly confirm?: ((target: Target) => Promise<void>) | undefined },
  refusal: string,
): Promise<void> => {
  if (!target.production || o.yes) return;
  if (!o.confirm) throw new UserError(`${refusal} without yes`, 3);
  await o.confirm(target);
};

/**
 * The database of a command for which one is optional (`check`, `plan`/`generate --from-db`): only when
 * `--database-url` or `--env` names one; DATABASE_URL alone does not turn it on (in CI, `check` without a flag
 * checks the repository alone).
 */
export const optionalTarget = (config: ResolvedConfig, args: TargetArgs): Target | undefined =>
  args.databaseUrl === undefined && args.env === undefined ? undefined : resolveTarget(config, args);

/** A connection the caller opened (an embedded PGlite, a client of its own pool): the target is that database. */
export const connectionTarget = (db: Db, production = false): Target => ({
  url: '',
  label: db.label,
  database: db.label,
  source: 'a connection given',
  production,
  productionBy: production ? 'flag' : undefined,
});
