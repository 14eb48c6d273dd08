import type { Mutant } from '../mutants';

const m = (id: string, description: string, host?: Mutant['host']): Mutant => ({ id, area: 'virtio-legacy', description, ...(host ? { host } : {}) });

// Each id is checked with mutations.on(id) at the place the fault would be.
// A mutant that can only show on another host names that host.
export const virtioMutants: Mutant[] = [
  // the owner device
  m('admin-header-big-endian', 'the owner decodes the admin command header big-endian'),
  m('used-list-not-enforced', 'a supported command outside the used list is executed'),
  m('member-checked-before-opcode', 'the member id is checked before the opcode is looked up in the used list'),
  m('member-range-uses-totalvfs', 'member ids are checked against TotalVFs instead of NumVFs'),
  m('list-use-failure-applies', 'a refused LIST_USE still changes the used list'),
  m('list-use-first-word-only', 'LIST_USE looks only at the first le64 word of its bitmap, so an unsupported opcode from 64 on is accepted'),
  m('list-use-one-word-exactly', 'LIST_USE refuses a bitmap that is not exactly one le64 word, even when the words after it are zero'),
  m('list-query-needs-one-word-part', 'LIST_QUERY writes no result unless the result part is exactly one le64 word'),
  m('reset-keeps-used-list', 'a function reset of the owner keeps the used list'),
  m('writable-length-ignored', 'the owner writes its whole answer past a short writable part'),
  m('legacy-field-span-accepted', 'a legacy access spanning two fields is executed'),
  m('legacy-data-big-endian', 'legacy register data is encoded and decoded big-endian'),
  m('isr-not-cleared-on-read', 'reading ISR leaves it set'),
  m('status-zero-does-not-reset', 'writing 0 to the device status does not reset the member'),
  // the host's owner driver
  m('member-id-off-by-one', 'the host names a VF by its 0-based index instead of index + 1'),
  m('notify-info-scans-past-end', 'the host takes a member notify entry that follows the end-of-list entry'),
  m('legacy-in-use-on-non-x86', 'the owner driver puts the legacy commands in use on a non-x86 host', { arch: 'aarch64', byteOrder: 'little' }),
  m('admin-fields-host-order', 'the host builds admin command fields in its own byte order', { arch: 'ppc64', byteOrder: 'big' }),
  // the translator
  m('io-enable-not-required', 'BAR0 is accessible before the guest enables I/O decoding'),
  m('reset-keeps-io-enable', 'a VF reset leaves I/O decoding enabled in the shadow command register'),
  m('devcfg-offset-ignores-msix', 'the device config is taken to start at 20 even with MSI-X enabled on the host'),
  m('devcfg-offset-24-under-msi', 'the translator moves the device config to 24 under MSI as well as under MSI-X'),
  m('irq-type-switch-allowed', 'VFIO_DEVICE_SET_IRQS enables one interrupt type while another is active'),
  m('irq-vectors-beyond-count', 'VFIO_DEVICE_SET_IRQS accepts one vector more than GET_IRQ_INFO counts'),
  m('irq-info-index-unchecked', 'VFIO_DEVICE_GET_IRQ_INFO answers an index past VFIO_PCI_REQ_IRQ_INDEX instead of EINVAL'),
  m('irq-info-msi-resizable', 'VFIO_DEVICE_GET_IRQ_INFO leaves NORESIZE off the MSI index'),
  m('irq-info-argsz-rewritten', 'VFIO_DEVICE_GET_IRQ_INFO writes argsz back as 16 instead of leaving what the caller sent'),
  m('irq-info-argsz-unchecked', 'VFIO_DEVICE_GET_IRQ_INFO accepts an argsz below the 16 bytes of vfio_irq_info'),
  m('notify-any-width-forwarded', 'a Queue Notify access of another width than 2 is forwarded to the notify address'),
  m('notify-sent-as-admin-command', 'a 2-byte Queue Notify write is sent as LEGACY_COMMON_CFG_WRITE'),
  m('bar0-size-mask-16', 'BAR0 sizing reports a 16-byte BAR'),
  m('revision-not-zeroed', 'the VF\'s own revision id shows through'),
  m('config-overlay-aligned-only', 'the config overrides apply only to aligned reads of the whole register'),
  m('bar0-region-mmap', 'region info offers mmap of the emulated BAR0'),
  m('bar0-end-off-by-one', 'an access that ends exactly at byte 32 of BAR0 is refused'),
  // the owner device, again
  m('members-share-legacy-state', 'every member of the SR-IOV group reads and writes the legacy registers of the first'),
  m('used-length-counts-whole-part', 'the used length is the whole writable part, also past the end of the answer'),
];
