/** Paths as output names them. */
import { isAbsolute, relative } from 'node:path';

/** Relative to where the user stands (the project, for a command run in it), when inside it; else as it is. */
export const shownPath = (path: string, cwd: string = process.cwd()): string => {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : rel === '' ? '.' : path;
};
