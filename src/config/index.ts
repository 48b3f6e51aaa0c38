/**
 * Project configuration: `keikaku.config.ts` (typed with `defineConfig`), overridden by flags, with
 * `DATABASE_URL` from the environment or a `.env` file beside the config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SUPPORTED_MAJORS } from '../db/embedded/binaries.js';
import { UserError } from '../db/errors.js';
import type { HazardCode } from '../model/hazard.js';
import { evaluateConfig } from './evaluate.js';

export interface EnvironmentConfig {
  /** The database URL, or `env:NAME` to read it from an environment variable. */
  readonly url?: string;
  /** `apply`/`down` need `--yes` or the database name typed at a prompt. */
  readonly production?: boolean;
  /** This environment's direct (unpooled) URL for `apply`/`down`, or `env:NAME`; see `KeikakuConfig.directUrl`. */
  readonly directUrl?: string;
}

/** A database of a fleet: its URL (or `env:NAME`), a name for reports, and whether it is production. */
export interface FleetTargetConfig {
  readonly url: string;
  readonly name?: string;
  readonly production?: boolean;
}

/**
 * The databases `--fleet` acts on (docs/fleets.md): a list of URLs or entries, or, database per tenant, a query
 * run on a catalog database (`from`, a URL or `env:NAME`) whose rows' first column is one URL each.
 */
export type FleetTargetsConfig = readonly (string | FleetTargetConfig)[] | { readonly query: string; readonly from: string };

/**
 * How a batched backfill keeps streaming replicas close (docs/replicas.md): before each batch it waits while a
 * replica lags more than a bound.
 */
export interface BackfillConfig {
  /** Replay lag in time (`pg_stat_replication.replay_lag`): `'10s'`, `'500ms'`, or milliseconds. */
  readonly maxReplicaLag?: string | number;
  /** Replay lag in WAL bytes (`pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)`): `'64MB'`, `'512kB'`, or bytes. */
  readonly maxReplicaLagBytes?: string | number;
  /** Also wait while fewer replicas are connected than when the run started (a replica restarting, a network cut). */
  readonly pauseWhenReplicaDisconnected?: boolean;
}

/** Whether the database URL goes through a connection pooler, and in which mode (docs/connections.md). */
export type PoolerMode = 'transaction' | 'session' | 'none' | 'detect';

export interface KeikakuConfig {
  /** Where the TypeScript schema lives (default `schema`). */
  readonly schemaDir?: string;
  /** Where migrations, `schema.sql` and `migrations.sum` are written (default `generated`). */
  readonly generatedDir?: string;
  /** A server for the shadow database instead of the embedded PGlite (e.g. for PostGIS). */
  readonly shadowUrl?: string;
  /**
   * `postgres`: the major (13–18) of the shadow, a server started from its installed binaries
   * (docs/postgres-versions.md). Default: the live database's major when one side is live, else PGlite (18).
   */
  readonly shadow?: { readonly postgres?: number };
  /** `phased` (expand / backfill / contract, the default) or `simple` (one phase). */
  readonly strategy?: 'phased' | 'simple';
  readonly allowHazards?: readonly HazardCode[];
  readonly environments?: Readonly<Record<string, EnvironmentConfig>>;
  /** The fleet's databases for `apply|status|check|verify --fleet` (docs/fleets.md). */
  readonly targets?: FleetTargetsConfig;
  /**
   * Schema per tenant (`apply|status --schemas PATTERN`, docs/fleets.md): `template` is the schema the migrations
   * create tenant objects in; default the one schema they name. `--template-schema` overrides it.
   */
  readonly tenants?: { readonly template?: string };
  /**
   * A URL that reaches PostgreSQL without a transaction-mode pooler (`env:NAME` reads it from a variable), as
   * Prisma's `directUrl`: `apply`/`down` run over it (session lock, session settings) while the application
   * keeps the pooled URL. `--direct-url` overrides it.
   */
  readonly directUrl?: string;
  /**
   * `detect` (default): `apply` finds out whether the URL goes through a transaction-mode pooler; `transaction` /
   * `session` / `none` say so and skip the probe.
   */
  readonly pooler?: PoolerMode;
  readonly backfill?: BackfillConfig;
  /**
   * `keikaku rehearse`: shell commands that make a copy of the database at the hosting provider (e.g. a branch),
   * for when the server can neither copy it by TEMPLATE nor take a pg_dump: `create` makes it, `url` prints its
   * URL, `drop` removes it (always run once `create` has). KEIKAKU_REHEARSAL_NAME names the copy.
   */
  readonly rehearse?: RehearseCommands;
}

export interface RehearseCommands {
  readonly create?: string;
  readonly url: string;
  readonly drop?: string;
}

/** `BackfillConfig` read: bounds in ms and bytes. */
export interface ThrottlePolicy {
  readonly maxLagMs: number | undefined;
  readonly maxLagBytes: number | undefined;
  readonly pauseWhenDisconnected: boolean;
}

/** Identity, for type checking in `keikaku.config.ts`. */
export const defineConfig = (config: KeikakuConfig): KeikakuConfig => config;

export interface ResolvedConfig {
  readonly root: string;
  readonly configFile: string | null;
  readonly schemaDir: string;
  readonly generatedDir: string;
  readonly shadowUrl: string | undefined;
  /** `shadow.postgres`: the pinned shadow major. */
  readonly shadowPostgres?: number | undefined;
  readonly strategy: 'phased' | 'simple';
  readonly allowHazards: readonly HazardCode[];
  readonly environments: Readonly<Record<string, EnvironmentConfig>>;
  /** `targets` of the config file, as written (read by `--fleet`). */
  readonly targets?: FleetTargetsConfig | undefined;
  /** `tenants` of the config file (`--schemas`). */
  readonly tenants?: { readonly template?: string | undefined } | undefined;
  readonly rehearse?: RehearseCommands | undefined;
  /** `DATABASE_URL` from the environment, else from `.env`. */
  readonly databaseUrl: string | undefined;
  readonly directUrl?: string | undefined;
  /** Default `detect`. */
  readonly pooler?: PoolerMode | undefined;
  /** Undefined when no bound is set: backfills run unthrottled. */
  readonly throttle?: ThrottlePolicy | undefined;
}

const UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, min: 60_000, m: 60_000 };
const UNITS_BYTES: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `'10s'`, `'250ms'`, `'2min'` or a number of ms; `'64MB'`, `'512kB'` or a number of bytes. */
export const parseQuantity = (value: string | number, units: 'ms' | 'bytes', what: string): number => {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value) : null;
  const table = units === 'ms' ? UNITS_MS : UNITS_BYTES;
  const unit = m ? (m[2] || (units === 'ms' ? 'ms' : 'b')).toLowerCase() : '';
  const factor = table[unit];
  if (!m || factor === undefined || Number(m[1]) <= 0)
    throw new UserError(`${what}: expected ${units === 'ms' ? "a duration such as '10s' or '500ms'" : "a size such as '64MB' or '512kB'"} more than 0 (got ${JSON.stringify(value)})`);
  return Number(m[1]) * factor;
};

const throttlePolicy = (file: string, b: BackfillConfig | undefined): ThrottlePolicy | undefined => {
  if (!b || (b.maxReplicaLag === undefined && b.maxReplicaLagBytes === undefined && !b.pauseWhenReplicaDisconnected)) return undefined;
  return {
    maxLagMs: b.maxReplicaLag === undefined ? undefined : parseQuantity(b.maxReplicaLag, 'ms', `${file}: backfill.maxReplicaLag`),
    maxLagBytes: b.maxReplicaLagBytes === undefined ? undefined : parseQuantity(b.maxReplicaLagBytes, 'bytes', `${file}: backfill.maxReplicaLagBytes`),
    pauseWhenDisconnected: b.pauseWhenReplicaDisconnected === true,
  };
};

const POOLER_MODES: readonly PoolerMode[] = ['transaction', 'session', 'none', 'detect'];

export const CONFIG_FILE = 'keikaku.config.ts';

/** `KEY=value` lines; quotes around the value are removed. Only what keikaku reads is used. */
export const parseDotEnv = (text: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
};

const pinnedMajor = (file: string, major: unknown): number | undefined => {
  if (major === undefined) return undefined;
  if (typeof major === 'number' && (SUPPORTED_MAJORS as readonly number[]).includes(major)) return major;
  throw new UserError(`${file}: shadow.postgres must be one of ${SUPPORTED_MAJORS.join(', ')} (got ${JSON.stringify(major)})`);
};

const rehearseCommands = (file: string, r: unknown): RehearseCommands | undefined => {
  if (r === undefined) return undefined;
  const o = r as Record<string, unknown>;
  const bad = (k: string) => o[k] !== undefined && typeof o[k] !== 'string';
  if (typeof r !== 'object' || r === null || typeof o.url !== 'string' || bad('create') || bad('drop'))
    throw new UserError(`${file}: rehearse must be { create?: string, url: string, drop?: string } (shell commands)`);
  return { url: o.url, ...(typeof o.create === 'string' ? { create: o.create } : {}), ...(typeof o.drop === 'string' ? { drop: o.drop } : {}) };
};

const poolerMode = (file: string, mode: unknown): PoolerMode => {
  if (mode === undefined) return 'detect';
  if ((POOLER_MODES as readonly unknown[]).includes(mode)) return mode as PoolerMode;
  throw new UserError(`${file}: pooler must be one of ${POOLER_MODES.join(', ')} (got ${JSON.stringify(mode)})`);
};

export interface LoadConfigOptions {
  /** Called when the config file is about to be evaluated (not when its last value is taken from the cache). */
  readonly beforeEvaluate?: (() => Promise<unknown> | void) | undefined;
}

/** Loads the config of the project at `cwd` (the config file may be absent: defaults apply). */
export const loadConfig = async (cwd: string, env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Promise<ResolvedConfig> => {
  const configFile = join(cwd, CONFIG_FILE);
  let config: KeikakuConfig = {};
  if (existsSync(configFile)) {
    try {
      const mod = (await evaluateConfig(configFile, { parentUrl: import.meta.url, beforeEvaluate: options.beforeEvaluate })) as {
        default?: KeikakuConfig & { default?: KeikakuConfig };
      };
      // Outside a `"type": "module"` package the file loads as CommonJS and its `export default` arrives one level
      // down; missing it would silently drop `environments` (and their production guard).
      config = mod.default?.default ?? mod.default ?? {};
    } catch (e) {
      throw new UserError(`${configFile}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, 1, { cause: e });
    }
  }
  const root = dirname(configFile);
  const dotEnvPath = join(root, '.env');
  const dotEnv = existsSync(dotEnvPath) ? parseDotEnv(readFileSync(dotEnvPath, 'utf8')) : {};
  return {
    root,
    configFile: existsSync(configFile) ? configFile : null,
    schemaDir: resolve(root, config.schemaDir ?? 'schema'),
    generatedDir: resolve(root, config.generatedDir ?? 'generated'),
    shadowUrl: config.shadowUrl,
    shadowPostgres: pinnedMajor(configFile, config.shadow?.postgres),
    strategy: config.strategy ?? 'phased',
    allowHazards: config.allowHazards ?? [],
    environments: config.environments ?? {},
    ...(config.targets === undefined ? {} : { targets: config.targets }),
    ...(config.tenants === undefined ? {} : { tenants: tenantsConfig(configFile, config.tenants) }),
    rehearse: rehearseCommands(configFile, config.rehearse),
    databaseUrl: env.DATABASE_URL ?? dotEnv.DATABASE_URL,
    directUrl: config.directUrl,
    pooler: poolerMode(configFile, config.pooler),
    throttle: throttlePolicy(configFile, config.backfill),
  };
};

/** `tenants: { template }`: a schema name (any text; it reaches SQL quoted). */
const tenantsConfig = (configFile: string, t: unknown): { readonly template?: string | undefined } => {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new UserError(`${configFile}: tenants must be { template?: 'schema' }`);
  const template = (t as { template?: unknown }).template;
  if (template !== undefined && (typeof template !== 'string' || template === '')) throw new UserError(`${configFile}: tenants.template must be a schema name`);
  return template === undefined ? {} : { template };
};
