/** Questions on a terminal. Only the CLI asks; everything else is decided by flags or code. */
import { createInterface } from 'node:readline/promises';
import type { RenameCandidate } from '../diff/ambiguity.js';
import { UserError } from '../db/errors.js';
import { HandBack, servingClient } from './daemon/hand-back.js';

export const askRename = async (c: RenameCandidate): Promise<'rename' | 'drop' | 'abort'> => {
  if (servingClient()) throw new HandBack('rename or drop');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const q = `${c.kind} ${c.where}.${c.from} is gone and ${c.where}.${c.to} is new.\n  [r] rename (keeps the data)  [d] drop and add (loses ${c.from})  [q] stop\n> `;
    for (;;) {
      const a = (await rl.question(q)).trim().toLowerCase();
      if (a === 'r' || a === 'rename') return 'rename';
      if (a === 'd' || a === 'drop') return 'drop';
      if (a === 'q' || a === '' || a === 'quit') return 'abort';
    }
  } finally {
    rl.close();
  }
};

/** Asks `question` and goes on only when the answer is the database's name; else stopped (exit 3), nothing changed. */
export const typeDatabaseName = async (target: { readonly database: string }, question: string): Promise<void> => {
  if (servingClient()) throw new HandBack('the database name');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(question);
    if (answer.trim() !== target.database) throw new UserError(`stopped: "${answer.trim()}" is not ${target.database}; nothing was changed`, 3);
  } finally {
    rl.close();
  }
};
