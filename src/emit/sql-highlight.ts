/**
 * SQL as HTML for the review page: each token escaped on its own (`htmlBlock`) and wrapped in a span of its class,
 * so no text of a statement (a hostile name, a string, a function body) can make markup. A lexer good enough to
 * colour, not to parse: what it does not recognise is passed through as plain text.
 */
import { htmlBlock } from '../model/escape.js';

const KEYWORDS = new Set(
  `ADD ALL ALTER ALWAYS AND ANY AS ASC BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMENT COMMIT CONCURRENTLY
  CONSTRAINT COPY CREATE CROSS CURRENT_TIMESTAMP DATA DECLARE DEFAULT DEFERRABLE DEFERRED DELETE DESC DISTINCT DO DOMAIN
  DROP EACH ELSE END ENUM EXCEPTION EXCLUDE EXECUTE EXISTS EXTENSION FALSE FOR FOREIGN FROM FUNCTION GENERATED GRANT
  GROUP HAVING IDENTITY IF IMMEDIATE IN INCLUDE INDEX INITIALLY INSERT INTO IS JOIN KEY LANGUAGE LEFT LIKE LIMIT LOCK
  LOOP MATERIALIZED NOT NOTHING NULL NULLS OF ON OR ORDER OWNED PERFORM POLICY PRIMARY PROCEDURE RAISE REFERENCES
  REFRESH RENAME REPLACE RESET RESTRICT RETURN RETURNING RETURNS REVOKE ROLLBACK ROW ROWS SCHEMA SELECT SEQUENCE SET
  STORED TABLE THEN TO TRIGGER TRUE TYPE UNIQUE UNLOGGED UPDATE USING VALID VALIDATE VALUE VALUES VIEW WHEN WHERE WHILE
  WITH WITHOUT`.split(/\s+/),
);

/** Comment, dollar-quoted body, string, quoted identifier, number, word; one alternative each, in that order. */
const TOKEN =
  /(--[^\n]*|\/\*[\s\S]*?\*\/)|(\$([A-Za-z_][A-Za-z_0-9]*)?\$[\s\S]*?\$\3\$|[Ee]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*')|("(?:[^"]|"")*")|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z_0-9$]*)/g;

const span = (cls: string, text: string) => `<span class="${cls}">${htmlBlock(text)}</span>`;

/** `sql` as HTML for inside `<pre><code>`; line feeds kept. */
export const highlightSql = (sql: string): string => {
  let out = '';
  let at = 0;
  for (const m of sql.matchAll(TOKEN)) {
    out += htmlBlock(sql.slice(at, m.index));
    at = m.index + m[0].length;
    const [text, comment, str, , ident, num, word] = m;
    if (comment !== undefined) out += span('c', text);
    else if (str !== undefined) out += span('s', text);
    else if (ident !== undefined) out += span('i', text);
    else if (num !== undefined) out += span('n', text);
    else if (word !== undefined && KEYWORDS.has(word.toUpperCase())) out += span('k', text);
    else out += htmlBlock(text);
  }
  return out + htmlBlock(sql.slice(at));
};
