import type { Sequence } from '../model/schema.js';
import { commentStatements } from './comment.js';
import { grantStatements } from './grants.js';
import { ident, qname } from './quote.js';

const options = (s: Sequence) =>
  `AS ${s.type} START WITH ${s.start} INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} CACHE ${s.cache} ${s.cycle ? 'CYCLE' : 'NO CYCLE'}`;

/** CREATE SEQUENCE with its comment and grants; ownership is a separate change (`ownerSql`). */
export const createSequenceSql = (s: Sequence): string[] => [
  `CREATE SEQUENCE ${qname(s.schema, s.name)} ${options(s)};`,
  ...commentStatements(`SEQUENCE ${qname(s.schema, s.name)}`, null, s.comment),
  ...grantStatements(`SEQUENCE ${qname(s.schema, s.name)}`, [], s.grants),
];

export const dropSequenceSql = (s: Sequence): string[] => [`DROP SEQUENCE ${qname(s.schema, s.name)};`];

export const sameSequenceOptions = (a: Sequence, b: Sequence) => options(a) === options(b);

/**
 * Postgres refuses bounds that exclude the sequence's current value; when the range narrows the sequence
 * restarts at its START, the only value the new bounds are known to allow.
 */
export const narrows = (from: { min: string; max: string }, to: { min: string; max: string }) =>
  BigInt(to.min) > BigInt(from.min) || BigInt(to.max) < BigInt(from.max);

export const alterSequenceSql = (from: Sequence, to: Sequence): string[] => {
  const name = qname(to.schema, to.name);
  const restart = narrows(from, to) ? ` RESTART WITH ${to.start}` : '';
  return [
    ...(sameSequenceOptions(from, to) ? [] : [`ALTER SEQUENCE ${name} ${options(to)}${restart};`]),
    ...commentStatements(`SEQUENCE ${name}`, from.comment, to.comment),
    ...grantStatements(`SEQUENCE ${name}`, from.grants, to.grants),
  ];
};

export const ownerSql = (s: Sequence): string[] => [
  `ALTER SEQUENCE ${qname(s.schema, s.name)} OWNED BY ${
    s.ownedBy ? `${qname(s.ownedBy.schema, s.ownedBy.table)}.${ident(s.ownedBy.column)}` : 'NONE'
  };`,
];
