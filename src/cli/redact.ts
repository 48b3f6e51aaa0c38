/**
 * The last line of defence for passwords: every URL the CLI could have been given — its arguments, DATABASE_URL
 * and PGPASSWORD, `.env`, the URLs written in `keikaku.config.ts` and the variables its `env:NAME` entries read —
 * yields the passwords it holds, and everything the CLI prints is scrubbed of them. Messages mask URLs where they
 * are built; this catches what a library echoes or a new message forgets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { CONFIG_FILE, parseDotEnv } from '../config/index.js';
import { MASK, maskUrl, secretsIn } from '../db/secrets.js';

/** Shorter "passwords" are left alone: masking every `pw` in a report would garble it and protect nothing. */
const MIN_LENGTH = 3;

const read = (path: string): string => {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  } catch {
    return '';
  }
};

/** String literals of a config file: where its URLs are. Read as text, so no config code runs for this. */
const literals = (source: string): string[] => [...source.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => m[2]!);

/** Every password the CLI may come across, in every form output could show it. */
export const knownSecrets = (argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string[] => {
  const texts: string[] = [...argv, ...argv.map((a) => a.replace(/^--?[\w-]+=/, ''))];
  if (env.DATABASE_URL) texts.push(env.DATABASE_URL);
  // A fleet's targets file (`--targets FILE`): its URLs, line by line.
  argv.forEach((a, i) => {
    const file = a === '--targets' ? argv[i + 1] : a.startsWith('--targets=') ? a.slice('--targets='.length) : undefined;
    if (file) texts.push(...read(isAbsolute(file) ? file : join(cwd, file)).split(/\r?\n/).map((l) => l.trim()));
  });
  const direct = [env.PGPASSWORD ?? ''];
  for (const value of Object.values(parseDotEnv(read(join(cwd, '.env'))))) texts.push(value);
  for (const literal of literals(read(join(cwd, CONFIG_FILE)))) {
    texts.push(literal);
    const variable = /^env:(\w+)$/.exec(literal)?.[1];
    if (variable && env[variable]) texts.push(env[variable]!);
  }
  // A password that the URL also shows elsewhere (`postgres://postgres:postgres@…`) cannot be kept secret by
  // scrubbing, and scrubbing it would garble every target line: masking at the source still hides it.
  const ofText = (text: string) => secretsIn(text).filter((s) => !maskUrl(text).includes(s));
  const secrets = [...texts.flatMap(ofText), ...direct].filter((s) => s.length >= MIN_LENGTH);
  // As JSON shows them (quotes and backslashes escaped) and as a URL shows them (percent-encoded).
  const forms = secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]);
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
};

export const redact = (text: string, secrets: readonly string[]): string =>
  secrets.reduce((t, s) => (t.includes(s) ? t.split(s).join(MASK) : t), text);

type Write = typeof process.stdout.write;

/** Routes process.stdout and process.stderr through `redact` until the returned function restores them. */
export const redactOutput = (secrets: readonly string[]): (() => void) => {
  if (secrets.length === 0) return () => undefined;
  const wrap = (stream: NodeJS.WriteStream): (() => void) => {
    const original = stream.write;
    const write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
      (original as (...a: unknown[]) => boolean).call(
        stream,
        typeof chunk === 'string' ? redact(chunk, secrets) : Buffer.from(redact(Buffer.from(chunk).toString('utf8'), secrets)),
        ...rest,
      )) as Write;
    stream.write = write;
    return () => {
      if (stream.write === write) stream.write = original;
    };
  };
  const restores = [wrap(process.stdout), wrap(process.stderr)];
  return () => restores.forEach((r) => r());
};
