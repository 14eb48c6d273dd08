// What a kernel `struct file` offers a process: the file operations a driver
// fills in. A missing operation behaves as the VFS does without it.
import { fail } from './errno';
import { DEFAULT_POLLMASK, POLL_ALWAYS } from '../../support/uapi/poll';

export type AccessMode = 'read' | 'write' | 'readwrite';

export interface FileOps {
  readonly mode: AccessMode;
  readonly stream: boolean; // stream_open(): no positions, no seeking
  read?(count: number): Uint8Array;
  write?(data: Uint8Array): number;
  pread?(count: number, offset: bigint): Uint8Array;
  pwrite?(data: Uint8Array, offset: bigint): number;
  ioctl?(request: number, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null };
  poll?(): number; // the ready mask; without it the VFS answers DEFAULT_POLLMASK
  release?(): void;
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

// do_pollfd(): the driver's mask (or the VFS default), cut to the events asked
// for and the ones poll always reports.
export function vfsPoll(file: FileOps, events: number): number {
  const mask = file.poll ? file.poll() : DEFAULT_POLLMASK;
  return mask & (events | POLL_ALWAYS);
}

export function vfsIoctl(file: FileOps, request: number, arg: Uint8Array | null) {
  if (!file.ioctl) fail('ENOTTY');
  return file.ioctl(request, arg);
}
