/**
 * Project configuration: `keikaku.config.ts` (typed with `defineConfig`), overridden by flags, with
 * `DATABASE_URL` from the environment or a `.env` file beside the config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SUPPORTED_MAJORS } from '../db/embedded/binaries.js';
import { UserError } from '../db/errors.js';
import type { HazardCode } from '../model/hazard.js';

export interface EnvironmentConfig {
  /** The database URL, or `env:NAME` to read it from an environment variable. */
  readonly url?: string;
  /** `apply`/`down` need `--yes` or the database name typed at a prompt. */
  readonly production?: boolean;
}

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
  readonly rehearse?: RehearseCommands | undefined;
  /** `DATABASE_URL` from the environment, else from `.env`. */
  readonly databaseUrl: string | undefined;
}

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

/** Loads the config of the project at `cwd` (the config file may be absent: defaults apply). */
export const loadConfig = async (cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedConfig> => {
  const configFile = join(cwd, CONFIG_FILE);
  let config: KeikakuConfig = {};
  if (existsSync(configFile)) {
    try {
      const { tsImport } = await import('tsx/esm/api');
      const mod = (await tsImport(pathToFileURL(configFile).href, import.meta.url)) as { default?: KeikakuConfig & { default?: KeikakuConfig } };
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
    rehearse: rehearseCommands(configFile, config.rehearse),
    databaseUrl: env.DATABASE_URL ?? dotEnv.DATABASE_URL,
  };
};
