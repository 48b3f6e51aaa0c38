/**
 * A real headless Chromium for tests of HTML output (Debian's `chromium` package): the DOM as Chromium parsed
 * it, what the page wrote to the console (with `--enable-logging=stderr` every console message and CSP
 * violation is a `CONSOLE` line), and screenshots in the light and dark colour schemes. Tests skip with the
 * reason when it is absent, unless CI=true, where it is required.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/** The Chromium binary on PATH (`KEIKAKU_CHROMIUM` names another), or undefined. */
export const findChromium = (env: NodeJS.ProcessEnv = process.env): string | undefined => {
  if (env.KEIKAKU_CHROMIUM) return env.KEIKAKU_CHROMIUM;
  for (const dir of (env.PATH ?? '').split(':'))
    for (const name of ['chromium', 'chromium-browser', 'google-chrome'])
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not in this directory
      }
  return undefined;
};

const run = (bin: string, args: string[]): Promise<{ stdout: string; stderr: string }> =>
  new Promise((resolve, reject) =>
    execFile(bin, args, { maxBuffer: 64 << 20, timeout: 90_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${bin} ${args.join(' ')}: ${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    ),
  );

export interface RenderedPage {
  /** The DOM after parsing, serialized by Chromium. */
  readonly dom: string;
  /** Console messages and CSP violations, one per line as Chromium logged them. */
  readonly console: readonly string[];
  /** Screenshot paths (PNG). */
  readonly light: string;
  readonly dark: string;
}

/** The colour of the top-left pixel of a PNG (RGB or RGBA, 8 bits): whatever the row filter, it is stored raw. */
export const firstPixel = (png: string): [number, number, number] => {
  const b = readFileSync(png);
  const idat: Buffer[] = [];
  for (let o = 8; o < b.length; ) {
    const len = b.readUInt32BE(o);
    if (b.toString('ascii', o + 4, o + 8) === 'IDAT') idat.push(b.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return [raw[1]!, raw[2]!, raw[3]!];
};

/**
 * Opens `html` (written to a file in `dir`) in headless Chromium three times: the DOM with the console log, and a
 * screenshot in each colour scheme (`preferredColorScheme`: 0 dark, 1 light).
 */
export const renderInChromium = async (bin: string, html: string, dir: string, name: string): Promise<RenderedPage> => {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const profile = mkdtempSync(join(tmpdir(), 'kk-chromium-profile-'));
  const common = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--window-size=1280,2400'];
  try {
    const dumped = await run(bin, [...common, '--enable-logging=stderr', '--v=0', '--dump-dom', `file://${file}`]);
    const light = join(dir, `${name}-light.png`);
    const dark = join(dir, `${name}-dark.png`);
    await run(bin, [...common, '--blink-settings=preferredColorScheme=1', `--screenshot=${light}`, `file://${file}`]);
    await run(bin, [...common, '--blink-settings=preferredColorScheme=0', `--screenshot=${dark}`, `file://${file}`]);
    return { dom: dumped.stdout, console: dumped.stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l)), light, dark };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
};
