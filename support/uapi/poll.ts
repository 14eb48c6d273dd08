// poll(2) event bits as Linux defines them (include/uapi/asm-generic/poll.h),
// and the mask the VFS answers for a file whose driver has no .poll
// (DEFAULT_POLLMASK, include/linux/poll.h).
export const POLL = {
  POLLIN: 0x1,
  POLLPRI: 0x2,
  POLLOUT: 0x4,
  POLLERR: 0x8,
  POLLHUP: 0x10,
  POLLNVAL: 0x20,
  POLLRDNORM: 0x40,
  POLLRDBAND: 0x80,
  POLLWRNORM: 0x100,
  POLLWRBAND: 0x200,
  POLLRDHUP: 0x2000,
} as const;
export type PollEventName = keyof typeof POLL;
export const POLL_EVENT_NAMES = Object.keys(POLL) as [PollEventName, ...PollEventName[]];

export const DEFAULT_POLLMASK = POLL.POLLIN | POLL.POLLOUT | POLL.POLLRDNORM | POLL.POLLWRNORM;
// poll(2) always reports these, asked for or not.
export const POLL_ALWAYS = POLL.POLLERR | POLL.POLLHUP | POLL.POLLNVAL;

export function pollMask(names: readonly string[]): number {
  return names.reduce((mask, name) => mask | POLL[name as PollEventName], 0);
}

export function pollNames(mask: number): PollEventName[] {
  return POLL_EVENT_NAMES.filter((name) => (mask & POLL[name]) !== 0);
}
