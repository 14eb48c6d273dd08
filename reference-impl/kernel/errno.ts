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
