/** At most 63 UTF-8 bytes, cut at a character boundary (as Postgres keeps a name): for hostile-name generators. */
export const cut63 = (s: string): string => {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > 63) break;
    out += ch;
  }
  return out;
};
