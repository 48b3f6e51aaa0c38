/**
 * Where a password sits in connection text — a URL, valid or not, or a libpq `key=value` string — so that it can be
 * masked before any output, and so that the CLI can scrub known passwords from everything it prints.
 * Works on text, never on a parse: a malformed URL (no scheme, one slash, a bad port) leaks as easily as a good one.
 */

/** A half-open range `[start, end)` of `text` that holds a secret. */
interface Span {
  readonly start: number;
  readonly end: number;
}

export const MASK = '****';

/** `password=` and `sslpassword=` as URL query parameters: up to the next `&` (or `#`, which ends a URL query). */
const QUERY_PASSWORD = /[?&](?:ssl)?password=([^&#]*)/gi;

/** The same keys in a libpq `key = value` string: a single-quoted value (with `\'` escapes) or a bare word. */
const CONNINFO_PASSWORD = /(?:^|\s)(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'?|\S*)/gi;

/**
 * A scheme and the slashes after it, so that `postgres:/app:pw@…` (one slash) masks like `postgres://app:pw@…`.
 * Only postgres schemes may have other than two slashes: `app:pw@host` must not read `app:` as a scheme.
 */
const SCHEME = /^(?:postgres(?:ql)?:\/*|[a-z][a-z0-9+.-]*:\/\/)/i;

const spans = (text: string): Span[] => {
  const out: Span[] = [];
  const add = (re: RegExp) => {
    for (const m of text.matchAll(re)) {
      const value = m[1] ?? '';
      if (value === '') continue;
      const end = m.index + m[0].length;
      out.push({ start: end - value.length, end });
    }
  };
  add(QUERY_PASSWORD);
  add(CONNINFO_PASSWORD);
  // Userinfo: up to the LAST `@`, since an unencoded password may hold `@`, `/`, `?` or `#`; the password starts
  // after the first `:` that follows the scheme. Masking too much beats leaking.
  const at = text.lastIndexOf('@');
  if (at > 0) {
    const prefix = text.slice(0, at);
    const rest = prefix.length - prefix.replace(SCHEME, '').length;
    const colon = prefix.indexOf(':', rest);
    if (colon >= 0 && colon + 1 < at) out.push({ start: colon + 1, end: at });
  }
  return out;
};

/** Merged spans, sorted, so that each character is masked once. */
const merged = (text: string): Span[] => {
  const sorted = spans(text).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else out.push(s);
  }
  return out;
};

/**
 * The text with every password replaced by `****`: in the userinfo, in `password=` / `sslpassword=` query
 * parameters and in `key=value` connection strings. Safe on any text, valid URL or not.
 */
export const maskUrl = (text: string): string => {
  let out = '';
  let from = 0;
  for (const s of merged(text)) {
    out += `${text.slice(from, s.start)}${MASK}`;
    from = s.end;
  }
  return out + text.slice(from);
};

const decoded = (value: string): string[] => {
  const forms = [value];
  try {
    forms.push(decodeURIComponent(value), decodeURIComponent(value.replace(/\+/g, ' ')));
  } catch {
    // a malformed %-escape: the raw form is what a message would echo
  }
  if (/^'.*'$/s.test(value)) forms.push(value.slice(1, -1).replace(/\\(.)/g, '$1'));
  return forms;
};

/**
 * The passwords the text holds, in every form output could show them: as written, percent-decoded, unquoted.
 * For the CLI's last-line scrub of what it prints.
 */
export const secretsIn = (text: string): string[] => [
  ...new Set(merged(text).flatMap((s) => decoded(text.slice(s.start, s.end)))),
];
