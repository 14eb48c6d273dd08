// Kernel releases at patch level, and the behaviour changes that reached
// stable lines. One table serves everyone: the scenario tags (@kernel>=6.12.58,
// @since:<change>, @before:<change>), what the bundled reference imitates for a
// given --kernel, and what the Linux agent declares from uname (its C header is
// generated from this table: npm run generate:kernel-changes).
//
// Sources: the Debian changelogs of linux-source-6.12 (6.12.117-1~deb12u1) and
// linux-source-6.1 (6.1.192-3), which list every stable commit with the stable
// release that brought it, and the kernel sources of those packages.

export type Release = [number, number, number];

// "6.12.117", "6.12.117-1-amd64", "6.1" -> [6, 12, 117]; a missing patch level is 0.
export function parseRelease(text: string): Release {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a kernel release (expected MAJOR.MINOR[.PATCH], e.g. 6.12.117)`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareReleases(a: Release, b: Release): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export function atLeast(release: string, bound: string): boolean {
  return compareReleases(parseRelease(release), parseRelease(bound)) >= 0;
}

export interface KernelChange {
  what: string; // the behaviour a kernel with the change has, in our words
  commit: string; // the mainline commit
  source: string; // where the behaviour lives
  // The first mainline release with the change; undefined when the suite does
  // not know it (then only the stable lines below have it).
  mainline?: string;
  // Per stable line (MAJOR.MINOR), the first release of that line with the change.
  stable: Record<string, string>;
  // Kernels before this release never had the old behaviour (it came with a later feature).
  notAffectedBefore?: string;
}

export const KERNEL_CHANGES = {
  'feature-enotty': {
    what: 'VFIO_DEVICE_FEATURE answers ENOTTY, not EINVAL, for a feature id the core does not know on a driver without a device_feature hook',
    commit: '16df67f2189a ("vfio: return -ENOTTY for unsupported device feature")',
    source: 'drivers/vfio/vfio_main.c: vfio_ioctl_device_feature(), the default case',
    mainline: '6.18',
    stable: { '6.12': '6.12.58', '6.6': '6.6.117', '6.1': '6.1.159' },
  },
  'fsm-error-loop-fixed': {
    what: 'vfio_mig_get_next_state() fails a request that has no path (STOP_COPY to PRE_COPY or PRE_COPY_P2P) with EINVAL instead of spinning forever',
    commit: 'a26b499b ("vfio: prevent infinite loop in vfio_mig_get_next_state() on blocked arc", June 2026)',
    source: 'drivers/vfio/vfio_main.c: vfio_mig_get_next_state()',
    stable: { '6.12': '6.12.96' },
    // The loop needs the pre-copy states, which came in 6.2; 6.1 refuses them as unknown.
    notAffectedBefore: '6.2',
  },
  'precopy-info-v2': {
    what: 'VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 (feature 12) exists: a SET opts the open device in to VFIO_MIG_GET_PRECOPY_INFO answering flags as an output (0, or VFIO_PRECOPY_INFO_REINIT), until its last close',
    commit: '50ff3f404617 ("vfio: Add support for VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2") with c995498636c7 (the drivers clear flags through vfio_check_precopy_ioctl()) and d7140b5dde45 (the uAPI of VFIO_PRECOPY_INFO_REINIT)',
    source: 'drivers/vfio/vfio_main.c: vfio_ioctl_device_feature_migration_precopy_info_v2(), vfio_df_device_last_close(); include/linux/vfio.h: vfio_check_precopy_ioctl()',
    mainline: '7.1',
    stable: {},
  },
} satisfies Record<string, KernelChange>;

export type ChangeId = keyof typeof KERNEL_CHANGES;

export function isChangeId(id: string): id is ChangeId {
  return Object.prototype.hasOwnProperty.call(KERNEL_CHANGES, id);
}

// Whether a kernel release behaves as after the change.
export function hasChange(release: string, id: ChangeId): boolean {
  const change: KernelChange = KERNEL_CHANGES[id];
  const r = parseRelease(release);
  if (change.notAffectedBefore && compareReleases(r, parseRelease(change.notAffectedBefore)) < 0) return true;
  if (change.mainline && compareReleases(r, parseRelease(change.mainline)) >= 0) return true;
  const first = change.stable[`${r[0]}.${r[1]}`];
  return first !== undefined && compareReleases(r, parseRelease(first)) >= 0;
}

// Where a change is present, for messages: "6.18 and later; 6.12.58, 6.6.117, 6.1.159 and later in their lines".
export function describeChange(id: ChangeId): string {
  const change: KernelChange = KERNEL_CHANGES[id];
  const lines = Object.values(change.stable).map((first) => `${first}`);
  const where = [change.mainline ? `${change.mainline} and later` : undefined, lines.length ? `${lines.join(', ')} and later in their stable lines` : undefined];
  const before = change.notAffectedBefore ? `; releases before ${change.notAffectedBefore} never had the old behaviour` : '';
  return `${where.filter(Boolean).join('; ')}${before}`;
}

// --- scenario tags --------------------------------------------------------------------------
const KERNEL_TAG = /^@kernel(>=|<)(\d+\.\d+(?:\.\d+)?)$/;
const CHANGE_TAG = /^@(since|before):(.+)$/;

export function isKernelTag(tag: string): boolean {
  return KERNEL_TAG.test(tag) || CHANGE_TAG.test(tag);
}

// Why a scenario's kernel tags exclude the declared kernel, or undefined.
// @kernel>=6.12.58 and @kernel<6.6 compare at patch level (6.6 means 6.6.0);
// @since:<change> and @before:<change> ask the table above.
export function kernelMismatch(tags: readonly string[], release: string): string | undefined {
  for (const tag of tags) {
    const bound = KERNEL_TAG.exec(tag);
    if (bound) {
      const holds = bound[1] === '>=' ? atLeast(release, bound[2]) : !atLeast(release, bound[2]);
      if (!holds) return `this scenario holds for kernels ${bound[1]} ${bound[2]}; the implementation declares kernel ${release}`;
      continue;
    }
    const change = CHANGE_TAG.exec(tag);
    if (!change) continue;
    const id = change[2];
    if (!isChangeId(id)) throw new Error(`${tag}: no kernel change "${id}" in support/kernel/releases.ts (known: ${Object.keys(KERNEL_CHANGES).join(', ')})`);
    const present = hasChange(release, id);
    if (change[1] === 'since' && !present) {
      return `this scenario holds for kernels with ${id} (${describeChange(id)}); the implementation declares kernel ${release}`;
    }
    if (change[1] === 'before' && present) {
      return `this scenario holds for kernels without ${id} (it is in ${describeChange(id)}); the implementation declares kernel ${release}`;
    }
  }
  return undefined;
}
