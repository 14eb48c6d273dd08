// Errno names as the asm-generic Linux headers number them. The contract speaks
// names, never numbers, so an adapter on any architecture answers the same way.
export const ERRNO_NUMBERS = {
  EPERM: 1, ENOENT: 2, EIO: 5, ENXIO: 6, E2BIG: 7, EBADF: 9, EAGAIN: 11, ENOMEM: 12,
  EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19, ENOTDIR: 20, EISDIR: 21,
  EINVAL: 22, EMFILE: 24, ENOTTY: 25, ENOSPC: 28, ESPIPE: 29, ERANGE: 34, ENOSYS: 38,
  ENOMSG: 42, ETIMEDOUT: 110, EOVERFLOW: 75, EBADFD: 77, EUSERS: 87, EOPNOTSUPP: 95,
} as const;

export type ErrnoName = keyof typeof ERRNO_NUMBERS;
export const ERRNO_NAMES = Object.keys(ERRNO_NUMBERS) as [ErrnoName, ...ErrnoName[]];

export function isErrnoName(value: string): value is ErrnoName {
  return Object.prototype.hasOwnProperty.call(ERRNO_NUMBERS, value);
}
