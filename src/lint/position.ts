/** Byte offsets (what libpg-query reports) to 1-based line and character column. */
import { lineOfByte, lineStarts } from '../db/sql-text.js';

export interface Positions {
  /** Line and column (in characters, 1-based) of a UTF-8 byte offset. */
  at(byte: number): { line: number; col: number };
}

export const positions = (source: string): Positions => {
  const bytes = Buffer.from(source, 'utf8');
  const starts = lineStarts(bytes);
  return {
    at(byte) {
      const line = lineOfByte(starts, byte);
      const prefix = bytes.subarray(starts[line - 1]!, byte).toString('utf8');
      return { line, col: [...prefix].length + 1 };
    },
  };
};
