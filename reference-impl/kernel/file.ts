// What a kernel `struct file` offers a process: the file operations a driver
// fills in. A missing operation behaves as the VFS does without it.
import { fail } from './errno';

export type AccessMode = 'read' | 'write' | 'readwrite';

export interface FileOps {
  readonly mode: AccessMode;
  readonly stream: boolean; // stream_open(): no positions, no seeking
  read?(count: number): Uint8Array;
  write?(data: Uint8Array): number;
  pread?(count: number, offset: bigint): Uint8Array;
  pwrite?(data: Uint8Array, offset: bigint): number;
  ioctl?(request: number, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null };
  poll?(): number; // the f_op->poll mask; without it the VFS answers DEFAULT_POLLMASK
  release?(): void;
}

// poll(2) event bits (include/uapi/asm-generic/poll.h, as on x86).
export const POLL = {
  POLLIN: 0x1, POLLPRI: 0x2, POLLOUT: 0x4, POLLERR: 0x8, POLLHUP: 0x10, POLLNVAL: 0x20,
  POLLRDNORM: 0x40, POLLRDBAND: 0x80, POLLWRNORM: 0x100, POLLWRBAND: 0x200, POLLRDHUP: 0x2000,
} as const;
export type PollEvent = keyof typeof POLL;
const DEFAULT_POLLMASK = POLL.POLLIN | POLL.POLLOUT | POLL.POLLRDNORM | POLL.POLLWRNORM;

// One pollfd with a zero timeout (fs/select.c do_pollfd()): the file's mask,
// filtered by the events asked for plus POLLERR and POLLHUP, which are always reported.
export function vfsPoll(file: FileOps, events: number): number {
  const mask = file.poll ? file.poll() : DEFAULT_POLLMASK;
  return mask & (events | POLL.POLLERR | POLL.POLLHUP);
}

export function pollNames(mask: number): PollEvent[] {
  return (Object.keys(POLL) as PollEvent[]).filter((name) => mask & POLL[name]);
}

export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const FD_CLOEXEC = 1;

export function accessFlags(mode: AccessMode): number {
  return mode === 'read' ? O_RDONLY : mode === 'write' ? O_WRONLY : O_RDWR;
}

// VFS order: a wrong direction is EBADF before the driver is asked.
export function vfsRead(file: FileOps, count: number): Uint8Array {
  if (file.mode === 'write' || !file.read) fail('EBADF');
  return file.read(count);
}

export function vfsWrite(file: FileOps, data: Uint8Array): number {
  if (file.mode === 'read' || !file.write) fail('EBADF');
  return file.write(data);
}

export function vfsPread(file: FileOps, count: number, offset: bigint): Uint8Array {
  if (file.stream || !file.pread) fail('ESPIPE');
  if (file.mode === 'write') fail('EBADF');
  return file.pread(count, offset);
}

export function vfsPwrite(file: FileOps, data: Uint8Array, offset: bigint): number {
  if (file.stream || !file.pwrite) fail('ESPIPE');
  if (file.mode === 'read') fail('EBADF');
  return file.pwrite(data, offset);
}

export function vfsIoctl(file: FileOps, request: number, arg: Uint8Array | null) {
  if (!file.ioctl) fail('ENOTTY');
  return file.ioctl(request, arg);
}
