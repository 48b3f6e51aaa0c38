/** PostgreSQL's tokens of a SQL text (libpg-query `scan`), as the tenant rewrite and the tenant model read them. */
export interface Token {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tokenName: string;
  readonly keywordKind: number;
}

/** The name an identifier token stands for (quoted: as written; plain: ASCII letters folded), else undefined. */
export const identifierOf = (t: Token): string | undefined => {
  if (t.text.startsWith('"')) return t.text.slice(1, -1).replace(/""/g, '"');
  if (t.tokenName === 'IDENT' || t.keywordKind > 0) return t.text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return undefined;
};
