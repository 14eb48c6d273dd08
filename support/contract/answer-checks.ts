// What an answer must be given the request it answers. The schemas check each
// field on its own (a count is a number, bytes are hex); these rules tie the
// fields to the request and to the system call's own contract: a successful
// ioctl does not return -1, write(2) never reports more bytes than it was
// given, read(2) never returns more than it was asked for, the argument buffer
// an ioctl leaves behind is the buffer it was handed, a directory entry is a
// name. An answer that breaks one of them is a broken implementation, named
// by the field: a scenario must never pass on a value the system call cannot
// produce.
import { IOCTL, VFIO_DEVICE_STATE_NR } from '../uapi/vfio';
import { VFIO_DEVICE_SET_IRQS } from '../uapi/virtio';
import type { Request } from './protocol';

// The VFIO device ioctls the suite sends, each of which returns 0 when it
// succeeds (drivers/vfio/vfio_main.c vfio_device_fops_unl_ioctl and the
// handlers it calls: results travel in the argument buffer, never in the
// return value).
const RETURNS_ZERO: Record<number, string> = {
  ...Object.fromEntries(Object.entries(IOCTL).map(([name, number]) => [number, name])),
  [VFIO_DEVICE_SET_IRQS]: 'VFIO_DEVICE_SET_IRQS',
};

export function ioctlName(request: number): string {
  return RETURNS_ZERO[request] ?? `0x${request.toString(16)}`;
}

const bytes = (hex: string) => hex.length / 2;

// Where a request's answer is described in messages.
export function answerLabel(request: Request): string {
  return request.op === 'ioctl' ? `ioctl ${ioctlName(request.request)}` : request.op;
}

// The first rule a successful result breaks, as "<field> ...", or undefined.
export function resultFault(request: Request, result: Record<string, unknown>, pendingBytes?: (pending: number) => number | undefined): string | undefined {
  switch (request.op) {
    case 'ioctl': {
      const { ret, arg } = result as { ret: number; arg: string | null };
      if (ret < 0) return `ret is ${ret} for a successful call; a failed call is answered with its errno`;
      if (request.request in RETURNS_ZERO && ret !== 0) return `ret is ${ret} for a successful call; a successful ${ioctlName(request.request)} returns 0`;
      return argFault(request, arg);
    }
    case 'read':
    case 'pread':
    case 'region_read': {
      const n = bytes(result.data as string);
      return n > request.count ? `data is ${n} bytes for a read of at most ${request.count}` : undefined;
    }
    case 'write':
    case 'pwrite':
    case 'region_write':
    case 'sysfs_write': {
      const given = bytes(request.data);
      const count = result.count as number;
      return count > given ? `count is ${count} for a write of ${given} bytes; write(2) never reports more than it was given` : undefined;
    }
    case 'mem_read': {
      const n = bytes(result.data as string);
      return n !== request.length ? `data is ${n} bytes for a read of exactly ${request.length} bytes of user memory` : undefined;
    }
    case 'lseek':
      return (result.offset as number) < 0 ? `offset is ${result.offset as number}; lseek(2) returns the new offset, never a negative one` : undefined;
    case 'fcntl':
      return (result.value as number) < 0 ? `value is ${result.value as number}; a successful fcntl(2) returns a non-negative value` : undefined;
    case 'poll': {
      // poll(2) reports only the events asked for, and POLLERR, POLLHUP, POLLNVAL.
      const revents = result.revents as string[];
      const allowed = new Set<string>([...request.events, 'POLLERR', 'POLLHUP', 'POLLNVAL']);
      const i = revents.findIndex((e, k) => !allowed.has(e) || revents.indexOf(e) !== k);
      return i >= 0 ? `revents.${i} is ${revents[i]}, ${allowed.has(revents[i]) ? 'named twice' : 'an event poll(2) was not asked for'}` : undefined;
    }
    case 'sysfs_list':
      return entriesFault(result.entries as string[]);
    case 'sysfs_readlink':
      return textFault('target', result.target as string);
    // An admin command's written bytes and used_length are the device's answer,
    // held to the virtio rules by the scenarios (a verdict, not a broken run).
    case 'migration_arcs': {
      const arcs = result.arcs as [number, number][];
      const i = arcs.findIndex(([from, to]) => from >= VFIO_DEVICE_STATE_NR || to >= VFIO_DEVICE_STATE_NR);
      return i >= 0 ? `arcs.${i} is [${arcs[i].join(', ')}]; device states are 0 to ${VFIO_DEVICE_STATE_NR - 1}` : undefined;
    }
    case 'pending_wait': {
      const wait = result as { done: boolean; outcome?: { ok: boolean; count?: number } };
      if (!wait.done || !wait.outcome?.ok) return undefined;
      const given = pendingBytes?.(request.pending);
      const count = wait.outcome.count as number;
      if (given !== undefined && count > given) return `outcome.count is ${count} for a write of ${given} bytes; write(2) never reports more than it was given`;
      return undefined;
    }
    default:
      return undefined;
  }
}

// The argument buffer a failed ioctl left behind, when the answer carries it.
export function errnoArgFault(request: Request, arg: string | undefined): string | undefined {
  if (arg === undefined) return undefined;
  if (request.op !== 'ioctl') return `arg is present; only a failed ioctl carries its argument buffer`;
  return argFault(request, arg);
}

function argFault(request: Extract<Request, { op: 'ioctl' }>, arg: string | null): string | undefined {
  if (request.arg === null) return arg === null ? undefined : `arg is ${bytes(arg)} bytes for a call made without an argument buffer (arg null)`;
  if (arg === null) return `arg is null for a call made with a ${bytes(request.arg)}-byte argument buffer`;
  if (bytes(arg) !== bytes(request.arg)) return `arg is ${bytes(arg)} bytes for a ${bytes(request.arg)}-byte argument buffer; the call reads and writes the buffer it was given, which keeps its length`;
  return undefined;
}

function entriesFault(entries: string[]): string | undefined {
  const seen = new Set<string>();
  for (const [i, name] of entries.entries()) {
    const text = textFault(`entries.${i}`, name);
    if (text) return text;
    if (name === '.' || name === '..') return `entries.${i} is ${JSON.stringify(name)}; the list leaves out . and ..`;
    if (name.includes('/')) return `entries.${i} is ${JSON.stringify(name)}; a directory entry is a name, without /`;
    if (seen.has(name)) return `entries.${i} is ${JSON.stringify(name)} a second time; a directory holds each name once`;
    seen.add(name);
  }
  return undefined;
}

// sysfs names and link targets are text: well-formed Unicode (a lone
// surrogate escape is not) without the replacement character a decoder puts
// where bytes were not UTF-8, and without NUL.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function textFault(field: string, text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return `${field} is not well-formed Unicode (a lone surrogate): ${JSON.stringify(text)}`;
  if (text.includes('\ufffd')) return `${field} holds U+FFFD, the mark of bytes that were not UTF-8: ${JSON.stringify(text)}`;
  if (text.includes('\0')) return `${field} holds a NUL character: ${JSON.stringify(text)}`;
  return undefined;
}
