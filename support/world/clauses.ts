// Tags that carry meaning for the harness: clause ids, spec areas, and kernel
// version bounds. One parser, used by hooks and by the report.
export const CLAUSE_TAG = /^@(C-(?:MIG|MDEV|VLEG)-\d{3})$/;
export const ROLE_TAG = /^@role:(.+)$/;

export function rolesOf(tags: readonly string[]): string[] {
  return tags.map((t) => ROLE_TAG.exec(t)?.[1]).filter((r): r is string => Boolean(r));
}

export const AREAS: Record<string, string> = {
  'vfio-migration': 'VFIO migration v2',
  mdev: 'mdev lifecycle',
  'virtio-legacy': 'virtio legacy access through a group owner',
};

export function clauseIds(tags: readonly string[]): string[] {
  return tags.map((t) => CLAUSE_TAG.exec(t)?.[1]).filter((c): c is string => Boolean(c));
}

// The area is the folder under features/.
export function areaOf(uri: string): string {
  const m = /features\/([^/]+)\//.exec(uri.replace(/\\/g, '/'));
  return m ? m[1] : 'unknown';
}

// Kernel bounds are decided in one place: support/kernel/releases.ts.
export { kernelMismatch } from '../kernel/releases';
