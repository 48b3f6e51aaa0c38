/**
 * Orders steps so every statement finds what it needs: a step runs after the steps that create what it
 * requires, before the steps that drop what it releases, and an object dropped and created again is dropped
 * first. Among steps free to run, a fixed order of change kinds decides, so output is stable and readable.
 */
import type { ChangeKind } from '../model/change.js';
import type { Step } from '../model/plan.js';

const RANK: Record<ChangeKind, number> = {
  create_schema: 0,
  alter_schema: 1,
  create_extension: 2,
  alter_extension: 3,
  // Drops of objects defined by text run before renames (see before-renames.ts).
  drop_trigger: 4,
  drop_policy: 5,
  drop_view: 6,
  drop_constraint: 7,
  drop_index: 8,
  rename_table: 10,
  rename_view: 10,
  rename_column: 11,
  rename_constraint: 11,
  rename_index: 11,
  rename_sequence: 11,
  rename_type: 11,
  alter_enum: 12,
  create_type: 20,
  alter_domain: 21,
  alter_composite: 22,
  create_sequence: 23,
  alter_sequence: 24,
  create_function: 25,
  replace_function: 26,
  recreate_enum: 27,
  create_table: 30,
  alter_table: 31,
  add_column: 33,
  alter_column: 34,
  set_sequence_owner: 35,
  add_constraint: 40,
  alter_constraint: 41,
  create_index: 42,
  alter_index: 43,
  create_view: 50,
  alter_view: 51,
  create_trigger: 52,
  alter_trigger: 53,
  create_policy: 54,
  alter_policy: 55,
  alter_function: 56,
  // Removals come last where nothing needs them earlier, so they can form a contract phase.
  drop_column: 59,
  drop_table: 60,
  drop_sequence: 61,
  drop_function: 62,
  drop_type: 63,
  drop_extension: 64,
  drop_schema: 65,
};

const rank = (s: Step) => RANK[s.change.kind] + (s.change.kind === 'add_constraint' && s.change.to.type === 'foreign' ? 0.5 : 0);

export const orderSteps = (steps: readonly Step[]): Step[] => {
  const n = steps.length;
  const creators = new Map<string, number[]>();
  const droppers = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, i: number) => {
    const l = m.get(k);
    if (l) l.push(i);
    else m.set(k, [i]);
  };
  steps.forEach((s, i) => {
    for (const k of s.creates) push(creators, k, i);
    for (const k of s.drops) push(droppers, k, i);
  });
  const after: Set<number>[] = Array.from({ length: n }, () => new Set());
  const edge = (first: number, then: number) => {
    if (first !== then) after[first]!.add(then);
  };
  steps.forEach((s, i) => {
    for (const k of s.requires) for (const t of creators.get(k) ?? []) edge(t, i);
    for (const k of s.releases) for (const t of droppers.get(k) ?? []) edge(i, t);
    for (const k of s.creates) for (const t of droppers.get(k) ?? []) edge(t, i);
  });
  const indegree = new Array<number>(n).fill(0);
  for (const set of after) for (const j of set) indegree[j]!++;
  const keys = Float64Array.from(steps, (s, i) => rank(s) * 1e7 + i);
  const key = (i: number) => keys[i]!;
  const ready = new MinHeap(key);
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const done = new Array<boolean>(n).fill(false);
  const out: Step[] = [];
  while (out.length < n) {
    let i = ready.pop();
    if (i === undefined) {
      // A cycle: break it at the step that would come first by rank.
      i = [...Array(n).keys()].filter((j) => !done[j]).sort((a, b) => key(a) - key(b))[0]!;
    }
    if (done[i]) continue;
    done[i] = true;
    out.push(steps[i]!);
    for (const j of after[i]!) if (--indegree[j]! === 0 && !done[j]) ready.push(j);
  }
  return out;
};

class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly key: (i: number) => number) {}
  push(i: number) {
    const a = this.items;
    a.push(i);
    let c = a.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (this.key(a[p]!) <= this.key(a[c]!)) break;
      [a[p], a[c]] = [a[c]!, a[p]!];
      c = p;
    }
  }
  pop(): number | undefined {
    const a = this.items;
    if (!a.length) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < a.length && this.key(a[l]!) < this.key(a[m]!)) m = l;
        if (r < a.length && this.key(a[r]!) < this.key(a[m]!)) m = r;
        if (m === p) break;
        [a[p], a[m]] = [a[m]!, a[p]!];
        p = m;
      }
    }
    return top;
  }
}
