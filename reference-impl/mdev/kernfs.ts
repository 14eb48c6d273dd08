// The part of sysfs the mdev core needs, as user space meets it: directories,
// attribute files with show/store callbacks, symbolic links (stored relative,
// as sysfs_create_link makes them) and the /dev nodes VFIO adds. Lookups
// follow links the way path walking does; open permission is checked against
// the file mode even for root, because sysfs asks kernfs for that extra check
// (so reading a 0200 attribute is EACCES, not a call into the driver).
import { posix } from 'node:path';
import type { ErrnoName } from '../../support/contract/errno';
import { fail, KernelError } from '../kernel/errno';

const PAGE_SIZE = 4096;
const MAX_LINK_HOPS = 40;

export type Outcome = { ok: true; count: number } | { ok: false; errno: ErrnoName };

// A write the kernel has not finished yet (a store waiting for the last user
// of a device). Whoever ends the wait settles it.
export class Completion {
  private outcome: Outcome | undefined;

  static settled(outcome: Outcome): Completion {
    const completion = new Completion();
    completion.outcome = outcome;
    return completion;
  }

  // What a system call that ran `call` ends with, now or later.
  static of(call: () => StoreResult): Completion {
    try {
      const result = call();
      return result instanceof Completion ? result : Completion.settled({ ok: true, count: result });
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      return Completion.settled({ ok: false, errno: error.errno });
    }
  }

  // Run `work`, which calls `finish` with the byte count now or later; a
  // KernelError thrown before that ends the write with its errno.
  static run(work: (finish: (count: number) => void) => void): Completion {
    const completion = new Completion();
    return Completion.of(() => {
      work((count) => completion.settle({ ok: true, count }));
      return completion;
    });
  }

  get done(): boolean {
    return this.outcome !== undefined;
  }

  result(): Outcome {
    if (!this.outcome) throw new Error('the write has not completed');
    return this.outcome;
  }

  settle(outcome: Outcome): void {
    this.outcome ??= outcome;
  }
}

export type StoreResult = number | Completion;

export interface Attribute {
  mode: number;
  show?: () => string;
  store?: (data: Uint8Array) => StoreResult;
}

abstract class Node {
  constructor(readonly name: string, public parent: Dir | null) {}
  path(): string {
    return this.parent ? posix.join(this.parent.path(), this.name) : '/';
  }
}

class Dir extends Node {
  readonly children = new Map<string, Node>();
}

class AttrFile extends Node {
  constructor(name: string, parent: Dir, readonly attr: Attribute) {
    super(name, parent);
  }
}

class Link extends Node {
  constructor(name: string, parent: Dir, readonly target: string) {
    super(name, parent);
  }
}

class CharDev extends Node {
  constructor(name: string, parent: Dir, readonly mode: number) {
    super(name, parent);
  }
}

export type NodeType = 'file' | 'dir' | 'link' | 'char';

export class Sysfs {
  private readonly root = new Dir('', null);

  // --- building the tree (kernel side) ---------------------------------------
  mkdir(path: string): void {
    this.dir(path);
  }

  file(path: string, attr: Attribute): void {
    const parent = this.dir(posix.dirname(path));
    parent.children.set(posix.basename(path), new AttrFile(posix.basename(path), parent, attr));
  }

  // A link at `path` to the absolute `target`, stored relative to its directory.
  link(path: string, target: string): void {
    const dirPath = posix.dirname(path);
    const parent = this.dir(dirPath);
    parent.children.set(posix.basename(path), new Link(posix.basename(path), parent, posix.relative(dirPath, target)));
  }

  chardev(path: string, mode: number): void {
    const parent = this.dir(posix.dirname(path));
    parent.children.set(posix.basename(path), new CharDev(posix.basename(path), parent, mode));
  }

  // Remove a node and everything under it; removing what is not there is a no-op.
  remove(path: string): void {
    const parent = this.find(posix.dirname(path));
    if (parent instanceof Dir) parent.children.delete(posix.basename(path));
  }

  exists(path: string): boolean {
    return this.find(path) !== undefined;
  }

  // --- the system calls ------------------------------------------------------------
  read(path: string): Uint8Array {
    const node = this.walk(path, true);
    if (node instanceof Dir) fail('EISDIR');
    if (!(node instanceof AttrFile)) fail('EINVAL', 'not an attribute file');
    if (!(node.attr.mode & 0o444) || !node.attr.show) fail('EACCES', 'attribute is not readable');
    return new Uint8Array(Buffer.from(node.attr.show(), 'latin1'));
  }

  write(path: string, data: Uint8Array): StoreResult {
    const node = this.walk(path, true);
    if (node instanceof Dir) fail('EISDIR');
    if (!(node instanceof AttrFile)) fail('EINVAL', 'not an attribute file');
    if (!(node.attr.mode & 0o222) || !node.attr.store) fail('EACCES', 'attribute is not writable');
    const bytes = data.subarray(0, PAGE_SIZE); // one page reaches the store
    if (bytes.length === 0) return 0; // sysfs never calls a store for an empty write
    return node.attr.store(bytes);
  }

  list(path: string): string[] {
    const node = this.walk(path, true);
    if (!(node instanceof Dir)) fail('ENOTDIR');
    return [...node.children.keys()].sort();
  }

  readlink(path: string): string {
    const node = this.walk(path, false);
    if (!(node instanceof Link)) fail('EINVAL', 'not a symbolic link');
    return node.target;
  }

  stat(path: string): { type: NodeType; mode: number } {
    const node = this.walk(path, false);
    if (node instanceof Dir) return { type: 'dir', mode: 0o755 };
    if (node instanceof Link) return { type: 'link', mode: 0o777 };
    if (node instanceof CharDev) return { type: 'char', mode: node.mode };
    return { type: 'file', mode: (node as AttrFile).attr.mode };
  }

  // --- path walking --------------------------------------------------------------------
  private find(path: string): Node | undefined {
    try {
      return this.walk(path, false);
    } catch (error) {
      if (error instanceof KernelError) return undefined;
      throw error;
    }
  }

  private dir(path: string): Dir {
    let node: Dir = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      let child = node.children.get(part);
      if (!child) {
        child = new Dir(part, node);
        node.children.set(part, child);
      }
      if (!(child instanceof Dir)) throw new Error(`${path}: ${part} is not a directory`);
      node = child;
    }
    return node;
  }

  private walk(path: string, followLast: boolean): Node {
    if (!path.startsWith('/')) fail('ENOENT');
    let parts = path.split('/').filter(Boolean);
    let node: Node = this.root;
    let hops = 0;
    while (parts.length > 0) {
      const part = parts.shift() as string;
      if (!(node instanceof Dir)) fail('ENOTDIR');
      if (part === '.') continue;
      if (part === '..') {
        node = node.parent ?? node;
        continue;
      }
      const child: Node | undefined = node.children.get(part);
      if (!child) fail('ENOENT', path);
      if (child instanceof Link && (parts.length > 0 || followLast)) {
        if (++hops > MAX_LINK_HOPS) throw new Error(`${path}: too many levels of symbolic links`);
        if (child.target.startsWith('/')) node = this.root;
        parts = [...child.target.split('/').filter(Boolean), ...parts];
        continue; // the target is resolved from the link's own directory
      }
      node = child;
    }
    return node;
  }
}
