// Writes and module unloads begun with *_start. The reference machine runs one
// request at a time, so a call still waiting now can only be released by a
// later request (the close of a device fd): pending_wait answers at once
// instead of sleeping through its timeout, which changes nothing it could see.
import { fail } from '../kernel/errno';
import { Completion, Outcome, StoreResult } from './kernfs';

export type PendingState = { done: false } | { done: true; outcome: Outcome };

export class PendingCalls {
  private next = 1;
  private readonly calls = new Map<number, Completion>();

  start(call: () => StoreResult): number {
    const id = this.next++;
    this.calls.set(id, Completion.of(call));
    return id;
  }

  wait(id: number): PendingState {
    const completion = this.calls.get(id);
    if (!completion) fail('EINVAL', `no pending call ${id}`);
    if (!completion.done) return { done: false };
    this.calls.delete(id);
    return { done: true, outcome: completion.result() };
  }
}
