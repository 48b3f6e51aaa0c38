/**
 * Why a schema file failed to load, placed in the file: a syntax error as esbuild reports it (through tsx), or an
 * error thrown while the file ran, at its first stack frame in the file.
 */
import { errorPosition, firstFrameIn } from './schema-import.js';

export interface LoadFailure {
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** The offending line with a caret under the column, for a syntax error. */
  readonly excerpt?: string;
}

/**
 * esbuild's "Transform failed with N error(s):" puts each error on a line of its own, `FILE:LINE:COL: ERROR: text`,
 * with a 0-based column; the first line alone says nothing.
 */
const ESBUILD_ERROR = /^(.*):(\d+):(\d+): ERROR: (.*)$/gm;

/** The offending line with a caret under `col` (1-based), indented under the diagnostic. */
const excerpt = (text: string, line: number, col: number): string => {
  const source = text.split(/\r?\n/)[line - 1];
  if (source === undefined) return '';
  const gutter = `    ${line} | `;
  return `${gutter}${source}\n${' '.repeat(gutter.length - 2)}| ${' '.repeat(Math.max(0, col - 1))}^`;
};

/**
 * @param shown how a path is printed (relative to the project).
 * @param files every schema file: an error thrown in another one (a file this one imports) says where it was thrown.
 */
export const loadFailure = (error: unknown, file: string, text: string, shown: (path: string) => string, files: readonly string[] = [file]): LoadFailure => {
  const message = error instanceof Error ? error.message : String(error);
  const all = [...message.matchAll(ESBUILD_ERROR)];
  const syntax = all.filter((m) => m[1]!.includes(file));
  const first = syntax[0];
  if (first) {
    const line = Number(first[2]);
    const col = Number(first[3]) + 1;
    const more = syntax.length > 1 ? ` (and ${syntax.length - 1} more syntax error(s))` : '';
    return { line, col, message: `syntax error: ${first[4]}${more}`, excerpt: excerpt(text, line, col) };
  }
  const at = errorPosition(error, file) ?? { line: 1, col: 1 };
  // A syntax error, or an error thrown, in a file this one imports: that file gets its own diagnostic; here, where
  // it is.
  const thrown = firstFrameIn(error, files);
  const elsewhere = all[0]
    ? `${shown(all[0][1]!)}:${all[0][2]}:${Number(all[0][3]) + 1}: syntax error: ${all[0][4]}`
    : thrown && thrown.file !== file
      ? `${shown(thrown.file)}:${thrown.line}:${thrown.col}: ${message.split('\n')[0]}`
      : message.split('\n')[0];
  return { ...at, message: `the file failed to load: ${elsewhere}` };
};
