// One simulated user process: its file descriptor table and its memory. File
// descriptors are the handles the contract speaks of; user memory is where
// ioctl structures point (logging ranges, dirty bitmaps).
import { fail } from './errno';
import { accessFlags, FD_CLOEXEC, FileOps } from './file';

interface FdEntry { file: FileOps; cloexec: boolean }

export class Process {
  private readonly fds = new Map<number, FdEntry>();
  private readonly refs = new Map<FileOps, number>();
  private readonly memory: { addr: bigint; bytes: Uint8Array }[] = [];
  private nextAddr = 0x7f0000000000n;

  install(file: FileOps, cloexec: boolean): number {
    let fd = 3; // 0-2 are the standard streams
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, { file, cloexec });
    this.refs.set(file, (this.refs.get(file) ?? 0) + 1);
    return fd;
  }

  isOpen(fd: number): boolean {
    return this.fds.has(fd);
  }

  file(fd: number): FileOps {
    const entry = this.fds.get(fd);
    if (!entry) fail('EBADF');
    return entry.file;
  }

  close(fd: number): void {
    const entry = this.fds.get(fd);
    if (!entry) fail('EBADF');
    this.fds.delete(fd);
    const left = (this.refs.get(entry.file) ?? 1) - 1;
    if (left > 0) this.refs.set(entry.file, left);
    else {
      this.refs.delete(entry.file);
      entry.file.release?.();
    }
  }

  closeAll(): void {
    for (const fd of [...this.fds.keys()]) this.close(fd);
  }

  fcntl(fd: number, cmd: 'F_GETFD' | 'F_GETFL'): number {
    const entry = this.fds.get(fd);
    if (!entry) fail('EBADF');
    return cmd === 'F_GETFD' ? (entry.cloexec ? FD_CLOEXEC : 0) : accessFlags(entry.file.mode);
  }

  alloc(length: number): bigint {
    const addr = this.nextAddr;
    this.memory.push({ addr, bytes: new Uint8Array(length) });
    this.nextAddr += BigInt(Math.ceil(length / 4096) * 4096 + 4096); // a guard page between mappings
    return addr;
  }

  // copy_from_user / copy_to_user: the whole span must lie in one mapping.
  private span(addr: bigint, length: number): { bytes: Uint8Array; at: number } {
    for (const m of this.memory) {
      if (addr >= m.addr && addr + BigInt(length) <= m.addr + BigInt(m.bytes.length)) {
        return { bytes: m.bytes, at: Number(addr - m.addr) };
      }
    }
    fail('EFAULT', `user address 0x${addr.toString(16)}+${length} is not mapped`);
  }

  copyFromUser(addr: bigint, length: number): Uint8Array {
    const { bytes, at } = this.span(addr, length);
    return bytes.slice(at, at + length);
  }

  copyToUser(addr: bigint, data: Uint8Array): void {
    const { bytes, at } = this.span(addr, data.length);
    bytes.set(data, at);
  }
}
