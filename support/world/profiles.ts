// A scenario tagged @profile:<driver> checks what one named driver does; it
// applies only where the implementation declares that driver, for a device or
// for an mdev parent. Everywhere else it is not applicable, with that reason.
import type { ImplementationInfo } from '../contract/protocol';
import { profileOf } from '../clauses/scenarios';

// The drivers of declared devices, of the PFs of declared virtio members, and
// of declared mdev parents.
export function declaredDrivers(info: Pick<ImplementationInfo, 'devices' | 'mdev_parents'>): Set<string> {
  return new Set([
    ...info.devices.flatMap((d) => (d.owner_driver ? [d.driver, d.owner_driver] : [d.driver])),
    ...(info.mdev_parents ?? []).map((p) => p.driver),
  ]);
}

export function profileMismatch(tags: readonly string[], info: Pick<ImplementationInfo, 'devices' | 'mdev_parents'>): string | undefined {
  const driver = profileOf(tags);
  if (driver === undefined || declaredDrivers(info).has(driver)) return undefined;
  const declared = [...declaredDrivers(info)].sort().join(', ') || 'none';
  return `this scenario checks the ${driver} driver's own behaviour (its profile), and the implementation declares no ${driver} device or parent (it declares: ${declared})`;
}
