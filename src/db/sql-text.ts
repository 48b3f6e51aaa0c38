/**
 * Positions in SQL text. libpg-query reports statement locations in UTF-8 bytes and syntax errors in code points;
 * Postgres reports error positions in code points (1-based); JS strings index UTF-16 units. These helpers convert.
 */

/** Byte offsets at which each line of `bytes` starts; `[0, …]`. A UTF-8 newline byte is always a newline. */
export const lineStarts = (bytes: Uint8Array): number[] => {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
};

/** 1-based line of a byte offset, given `lineStarts`. */
export const lineOfByte = (starts: readonly number[], byte: number): number => {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= byte) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
};

const utf8Length = (codePoint: number): number =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/**
 * Where the code point at 0-based index `codePoints` of `text` is: its UTF-8 byte offset and how many newlines
 * precede it. An index past the end gives the end of the text.
 */
export const locateCodePoint = (text: string, codePoints: number): { byte: number; newlines: number } => {
  let byte = 0;
  let newlines = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen >= codePoints) break;
    const cp = ch.codePointAt(0)!;
    byte += utf8Length(cp);
    if (cp === 0x0a) newlines++;
    seen++;
  }
  return { byte, newlines };
};
