// Tags that carry meaning for the harness: clause ids, spec areas, and kernel
// version bounds. One parser, used by hooks and by the report.
export const CLAUSE_TAG = /^@(C-(?:MIG|MDEV|VLEG)-\d{3})$/;
export const KERNEL_TAG = /^@kernel(>=|<)(\d+)\.(\d+)$/;
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

export function kernelParts(release: string): [number, number] {
  const [major, minor] = release.split(/[.-]/).map((x) => parseInt(x, 10));
  return [major || 0, minor || 0];
}

// Why a scenario's kernel tags exclude the declared kernel, or undefined.
export function kernelMismatch(tags: readonly string[], release: string): string | undefined {
  const [major, minor] = kernelParts(release);
  const version = major * 1000 + minor;
  for (const tag of tags) {
    const m = KERNEL_TAG.exec(tag);
    if (!m) continue;
    const bound = Number(m[2]) * 1000 + Number(m[3]);
    const holds = m[1] === '>=' ? version >= bound : version < bound;
    if (!holds) return `this scenario holds for kernels ${m[1]} ${m[2]}.${m[3]}; the implementation declares kernel ${release}`;
  }
  return undefined;
}
