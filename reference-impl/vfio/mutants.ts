import type { Mutant } from '../mutants';

const m = (id: string, description: string): Mutant => ({ id, area: 'vfio-migration', description });
// Faults in behaviour that came with Linux 7.1: the reference imitates 7.1 for them.
const m7 = (id: string, description: string): Mutant => ({ ...m(id, description), kernel: '7.1' });

// Each id is checked with mutations.on(id) at the place the fault would be.
export const vfioMutants: Mutant[] = [
  m('fsm-stopcopy-to-precopy-allowed', 'a driver with its own state machine takes STOP_COPY -> PRE_COPY as one arc instead of refusing it'),
  m('fsm-combination-through-saving', 'PRE_COPY -> STOP passes through PRE_COPY_P2P, a saving state inside the path'),
  m('fsm-target-flags-unchecked', 'a state the device lacks (RUNNING_P2P without P2P) is accepted as a target'),
  m('feature-lookup-before-flag-checks', 'an unknown feature id is answered before the header flag checks'),
  m('feature-argsz-unchecked', 'a payload shorter than the feature needs is accepted'),
  m('set-failure-leaves-payload', 'a failed SET does not write data_fd = -1 back'),
  m('data-fd-without-cloexec', 'data fds are installed without close-on-exec'),
  m('logging-overlap-unchecked', 'overlapping DMA logging ranges are accepted'),
  m('dirty-bitmap-overwritten', 'the dirty report overwrites bitmap words instead of only setting bits'),
  m('fd-not-ended-on-leaving-stopcopy', 'STOP_COPY -> STOP leaves the saving fd readable'),
  m('precopy-info-in-stopcopy', 'VFIO_MIG_GET_PRECOPY_INFO answers in STOP_COPY'),
  m('close-keeps-transfers', 'closing the device leaves its data fds live'),
  m('reset-keeps-state', 'VFIO_DEVICE_RESET does not return the device to RUNNING'),
  m('enomsg-in-stopcopy', 'the end of the STOP_COPY stream is ENOMSG instead of 0'),
  m('precopy-p2p-new-fd', 'PRE_COPY -> PRE_COPY_P2P opens a new data fd'),
  m('stopped-device-dmas', 'the device performs DMA while stopped'),
  m('stopped-device-changes-state', 'register writes change a stopped device'),
  m('resume-truncated-accepted', 'RESUMING -> STOP accepts a stream without its end'),
  m('error-state-settable', 'a SET leaves ERROR without a reset'),
  m('report-not-cleared', 'a dirty report does not clear the log it reported'),
  m('dma-not-logged', 'DMA writes are not recorded by dirty logging'),
  m('logging-restart-accepted', 'a second DMA_LOGGING_START without STOP is accepted by a hardware-style driver'),
  m('precopy-dirty-not-tracked', 'device memory written during pre-copy is not sent again'),
  m7('precopy-v2-flags-echoed', 'after the PRECOPY_INFOv2 opt-in, VFIO_MIG_GET_PRECOPY_INFO still echoes the caller\'s flags'),
  m7('precopy-v2-kept-after-close', 'the PRECOPY_INFOv2 opt-in survives the last close, so the next user inherits it'),
  m7('precopy-v2-without-precopy', 'PRECOPY_INFOv2 is accepted on a device without PRE_COPY'),
  m7('precopy-v2-get-accepted', 'PRECOPY_INFOv2 accepts GET as well as SET'),
  m('stopcopy-poll-not-readable', 'in STOP_COPY the saving fd polls readable only while bytes are queued, not at the end of the stream'),
  m('precopy-poll-readable-at-end', 'at a pre-copy temporary end the saving fd still polls readable'),
  m('cdev-unbound-ioctl-allowed', 'a cdev fd answers ioctls and region accesses before VFIO_DEVICE_BIND_IOMMUFD'),
  m('cdev-rebind-accepted', 'a second VFIO_DEVICE_BIND_IOMMUFD on a bound cdev fd succeeds'),
  m('cdev-second-bind-accepted', 'a second cdev fd of a device already open binds, so the device has two cdev users'),
  m('cdev-group-not-blocked', 'the group and the cdev of one device can be used at once'),
  m('attach-any-pt-id', 'VFIO_DEVICE_ATTACH_IOMMUFD_PT accepts a pt_id that names no object'),
  m('logging-probe-needs-set', 'a PROBE of DMA_LOGGING_START that asks for neither GET nor SET is refused (QEMU finds device dirty tracking with exactly that PROBE)'),
  m('data-size-zero', 'MIG_DATA_SIZE answers 0 (QEMU sizes its read buffer from it)'),
  m('mtty-header-unchecked', 'mtty accepts a resume stream header with the wrong magic'),
  m('mtty-data-size-wrong', 'mtty reports a MIG_DATA_SIZE that is not its stream length'),
  m('mtty-fifo-not-migrated', "mtty's stream leaves out the loopback FIFO"),
];
