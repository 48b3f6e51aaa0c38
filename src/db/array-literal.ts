/**
 * Parses PostgreSQL's text output of an array (`{a,"b c",NULL}`, `{{1,2},{3,4}}`, `[0:1]={1,2}`) into nested JS
 * arrays, applying `element` to every non-NULL element. Elements are double-quoted when they contain delimiters,
 * braces, quotes, backslashes or spaces, or spell NULL; inside quotes a backslash escapes the next character.
 */
export const parseArrayLiteral = (
  text: string,
  element: (value: string) => unknown = (v) => v,
  delimiter = ',',
): unknown[] => {
  let i = 0;
  // Arrays with non-default lower bounds are printed with a dimension decoration first: `[0:1]={1,2}`.
  if (text.startsWith('[')) i = text.indexOf('=') + 1;

  const parseLevel = (): unknown[] => {
    if (text[i] !== '{') throw new Error(`malformed array literal: ${text}`);
    i++;
    const out: unknown[] = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === '{') {
        out.push(parseLevel());
      } else if (text[i] === '"') {
        i++;
        let value = '';
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          value += text[i] ?? '';
          i++;
        }
        i++;
        out.push(element(value));
      } else {
        const start = i;
        while (i < text.length && text[i] !== delimiter && text[i] !== '}') i++;
        const raw = text.slice(start, i);
        out.push(raw === 'NULL' ? null : element(raw));
      }
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      throw new Error(`malformed array literal: ${text}`);
    }
  };

  return parseLevel();
};
