import type { Mutant } from '../mutants';

const m = (id: string, description: string): Mutant => ({ id, area: 'mdev', description });

// Each id is checked with mutations.on(id) at the place the fault would be.
export const mdevMutants: Mutant[] = [
  m('mdev-duplicate-after-capacity', 'create checks the parent counter before looking for a duplicate UUID'),
  m('mdev-duplicate-per-parent', 'a duplicate UUID is looked for only among the same parent\'s mdevs'),
  m('mdev-duplicate-case-sensitive', 'a duplicate UUID is compared as written, so another letter case passes'),
  m('mdev-name-keeps-case', 'the device is named with the UUID as written instead of in lower case'),
  m('mdev-create-accepts-braces', 'create unwraps a braced UUID and accepts it'),
  m('mdev-37th-byte-checked', 'create refuses a 37th byte other than a newline'),
  m('mdev-core-count-enospc', 'the core refuses a create on an empty parent counter with ENOSPC instead of EUSERS'),
  m('mdev-core-capacity-before-release', 'the core gives an instance back when removal starts, not at the final release'),
  m('mtty-ports-before-release', 'mtty gives its ports back when removal starts, before the VFIO device is released'),
  m('mtty-pool-not-shared', 'each mtty type has its own pool of 24 ports'),
  m('mdev-remove-open-fails', 'remove of an mdev whose VFIO device is open fails with EBUSY instead of waiting'),
  m('mdev-remove-zero-removes', 'writing 0 to remove removes the device'),
  m('mdev-remove-only-one', 'remove accepts only the value 1; other non-zero values are EINVAL'),
  m('mdev-remove-trailing-whitespace', 'remove ignores any trailing blanks and newlines'),
  m('mdev-uuid-freed-while-blocked', 'the UUID is released when removal starts, while the removal is still waiting'),
  m('mdev-bus-link-kept-while-blocked', '/sys/bus/mdev/devices/<uuid> stays until a waiting removal completes'),
  m('mdev-children-survive-unregistration', 'parent unregistration leaves its mdevs in place'),
  m('mdev-module-unload-while-open', 'an open VFIO device does not pin the module owning its mdev driver'),
  m('mdev-description-always', 'every type gets a description file, also when the driver describes none'),
  m('mdev-group-kept-after-remove', 'the IOMMU group of an mdev stays after its removal'),
  m('mdev-group-shared', 'all mdevs share one IOMMU group'),
  m('mdev-bus-matches', 'the mdev bus matches the parent\'s driver, so bind re-attaches an unbound mdev'),
  m('mdev-modalias-in-uevent', 'the mdev uevent carries a MODALIAS'),
  m('mdev-module-pin-not-counted', 'an open mdev holds its module with a flag, not a count: closing one of two open mdevs lets it go'),
  m('mdev-uuid-kept-after-remove', 'the UUID of a removed mdev stays taken, so it cannot be created again'),
  m('mdev-core-count-last-refused', 'the core refuses the create that would take a parent\'s last instance'),
  m('mdev-refused-create-takes-instance', 'a create refused as a duplicate still takes an instance from the parent\'s counter'),
  m('mdev-vfio-dev-minor-not-index', 'the vfio-dev cdev of an mdev gets a minor other than the device index its name vfio<N> carries'),
  m('mdev-vfio-dev-kept-while-blocked', 'the vfio-dev node and /dev/vfio/devices/vfio<N> stay while a removal waits for the last close'),
  m('mdev-driver-attrs-kept-at-unbind', 'the attribute groups of the mdev driver stay in the mdev directory after unbind'),
  m('mdev-type-link-dropped-at-unbind', 'unbinding an mdev also removes its link from its type\'s devices/'),
];
