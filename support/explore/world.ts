// What an exploration run talks through: the same contract client and area
// sessions the steps use, without Cucumber. A sequence reuses one of these
// per run, so every command does exactly what its step would do.
import type { Client, Outcome } from '../contract/client';
import type { ImplementationInfo } from '../contract/protocol';
import { VfioSession } from '../vfio/session';
import { MdevSession } from '../mdev/session';
import { VirtioSession } from '../virtio/session';
import type { TckWorld } from '../world/world';

export class ExploreWorld {
  last: Outcome<unknown> | undefined;
  readonly transcript: string[] = [];
  readonly notes: string[] = [];
  readonly vfio: VfioSession;
  readonly mdev: MdevSession;
  readonly virtio: VirtioSession;

  constructor(readonly client: Client, readonly info: ImplementationInfo) {
    // The sessions use only the client, the declaration, record() and attach()
    // of the Cucumber World, which this class offers under the same names.
    this.vfio = new VfioSession(this as unknown as TckWorld);
    this.mdev = new MdevSession(this as unknown as TckWorld);
    this.virtio = new VirtioSession(this as unknown as TckWorld);
  }

  record<T>(outcome: Outcome<T>): Outcome<T> {
    this.last = outcome;
    return outcome;
  }

  async attach(text: string): Promise<void> {
    this.notes.push(text);
  }
}
