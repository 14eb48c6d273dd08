// Kernel-style failure: code in the reference throws KernelError where the
// kernel returns -EXXX, and the request handler turns it into an errno answer.
import type { ErrnoName } from '../../support/contract/errno';

export class KernelError extends Error {
  // An ioctl's argument buffer as the kernel left it when the call failed.
  arg?: Uint8Array;
  constructor(readonly errno: ErrnoName, detail?: string) {
    super(detail ? `${errno}: ${detail}` : errno);
  }
}

export function fail(errno: ErrnoName, detail?: string): never {
  throw new KernelError(errno, detail);
}

// A system call that sleeps until something this process would have to do
// next (a plain write to the remove file of a device the process still holds
// open waits for its last close): the caller never gets an answer, as a
// single-threaded program calling the kernel never would.
export class BlockedForGood extends Error {
  override name = 'BlockedForGood';
}
