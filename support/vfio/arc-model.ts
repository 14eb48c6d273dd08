// The migration state machine as the uAPI describes it: the single arcs a
// driver implements for each flag set, and the rule for combination requests
// (the unique shortest path that touches a saving state only at its ends,
// unless both ends are saving states). Derived independently of any next-step
// table, so it can check one.
import { MIG_FLAG, MIG_STATES, MigState, SAVING_STATES } from '../uapi/vfio';

const { STOP_COPY: SC, P2P, PRE_COPY: PRE } = MIG_FLAG;
type Arc = [MigState, MigState, (flags: number) => boolean];

const always = () => true;
const noP2P = (f: number) => !(f & P2P);
const p2p = (f: number) => Boolean(f & P2P);
const pre = (f: number) => Boolean(f & PRE);
const preNoP2P = (f: number) => Boolean(f & PRE) && !(f & P2P);
const preP2P = (f: number) => Boolean(f & PRE) && Boolean(f & P2P);

export const ARCS: Arc[] = [
  ['STOP', 'STOP_COPY', always], ['STOP_COPY', 'STOP', always],
  ['STOP', 'RESUMING', always], ['RESUMING', 'STOP', always],
  ['RUNNING', 'STOP', noP2P], ['STOP', 'RUNNING', noP2P],
  ['RUNNING', 'RUNNING_P2P', p2p], ['RUNNING_P2P', 'RUNNING', p2p],
  ['RUNNING_P2P', 'STOP', p2p], ['STOP', 'RUNNING_P2P', p2p],
  ['RUNNING', 'PRE_COPY', pre], ['PRE_COPY', 'RUNNING', pre],
  ['PRE_COPY', 'STOP_COPY', preNoP2P],
  ['PRE_COPY', 'PRE_COPY_P2P', preP2P], ['PRE_COPY_P2P', 'PRE_COPY', preP2P],
  ['PRE_COPY_P2P', 'RUNNING_P2P', preP2P], ['PRE_COPY_P2P', 'STOP_COPY', preP2P],
  ['RUNNING_P2P', 'PRE_COPY_P2P', preP2P],
];

// Arcs that open a new transfer and so return a new data_fd.
export const OPENING_ARCS = new Set(['STOP>STOP_COPY', 'STOP>RESUMING', 'RUNNING>PRE_COPY', 'RUNNING_P2P>PRE_COPY_P2P']);

export const FLAG_SETS = [SC, SC | P2P, SC | PRE, SC | P2P | PRE];

export function legalStates(flags: number): MigState[] {
  return MIG_STATES.filter((s) => {
    if (s === 'ERROR') return false;
    if (s === 'RUNNING_P2P') return Boolean(flags & P2P);
    if (s === 'PRE_COPY') return Boolean(flags & PRE);
    if (s === 'PRE_COPY_P2P') return Boolean(flags & PRE) && Boolean(flags & P2P);
    return true;
  });
}

const saving = (s: MigState) => SAVING_STATES.includes(s);

export type Expectation =
  | { kind: 'same' }
  | { kind: 'path'; path: MigState[]; newFd: boolean }
  | { kind: 'refused'; reason: 'not-supported' | 'blocked' };

export function expectedTransition(flags: number, from: MigState, to: MigState): Expectation {
  if (!legalStates(flags).includes(to)) return { kind: 'refused', reason: 'not-supported' };
  if (from === to) return { kind: 'same' };
  if (from === 'STOP_COPY' && (to === 'PRE_COPY' || to === 'PRE_COPY_P2P')) return { kind: 'refused', reason: 'blocked' };
  const interiorSavingAllowed = saving(from) && saving(to);
  const arcs = ARCS.filter(([, , present]) => present(flags));
  // Breadth-first search; count the shortest paths to prove uniqueness.
  let frontier: MigState[][] = [[from]];
  const seen = new Set<MigState>([from]);
  while (frontier.length) {
    const next: MigState[][] = [];
    for (const path of frontier) {
      const at = path[path.length - 1];
      for (const [a, b] of arcs) {
        if (a !== at || seen.has(b)) continue;
        if (b !== to && saving(b) && !interiorSavingAllowed) continue;
        next.push([...path, b]);
      }
    }
    const done = next.filter((p) => p[p.length - 1] === to);
    if (done.length > 1) throw new Error(`two shortest paths from ${from} to ${to} under flags ${flags}`);
    if (done.length === 1) {
      const path = done[0];
      const last = `${path[path.length - 2]}>${to}`;
      return { kind: 'path', path, newFd: OPENING_ARCS.has(last) };
    }
    next.forEach((p) => seen.add(p[p.length - 1]));
    frontier = next;
  }
  throw new Error(`no path from ${from} to ${to} under flags ${flags}`);
}
