// The per-scenario World. It holds the connection to the implementation under
// test (shared by the whole run), what the implementation declared, and the
// state of each specification area's session. Steps call methods on these
// sessions; the sessions hold the logic.
import { CdevSession } from '../vfio/cdev';
import { IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import type { Client, Outcome } from '../contract/client';
import type { ImplementationInfo } from '../contract/protocol';
import { VfioSession } from '../vfio/session';
import { MdevSession } from '../mdev/session';
import { VirtioSession } from '../virtio/session';
import { currentRun } from './run';

export class TckWorld extends World {
  readonly client: Client;
  readonly info: ImplementationInfo;
  readonly transcript: string[] = [];
  // The outcome of the last action a When step took; Then steps inspect it.
  last: Outcome<unknown> | undefined;
  readonly vfio: VfioSession;
  readonly cdev: CdevSession;
  readonly mdev = new MdevSession(this);
  readonly virtio = new VirtioSession(this);

  constructor(options: IWorldOptions) {
    super(options);
    const run = currentRun();
    this.client = run.client;
    this.info = run.info;
    this.vfio = new VfioSession(this);
    this.cdev = new CdevSession(this);
  }

  record<T>(outcome: Outcome<T>): Outcome<T> {
    this.last = outcome;
    return outcome;
  }
}

setWorldConstructor(TckWorld);
