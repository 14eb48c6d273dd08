import type { Mutant } from '../mutants';

const m = (id: string, description: string): Mutant => ({ id, area: 'vfio-migration', description });

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
  m('mtty-header-unchecked', 'mtty accepts a resume stream header with the wrong magic'),
  m('mtty-data-size-wrong', 'mtty reports a MIG_DATA_SIZE that is not its stream length'),
  m('mtty-fifo-not-migrated', "mtty's stream leaves out the loopback FIFO"),
  m('logging-adjacent-refused', 'DMA logging ranges that only touch (one starts on the byte after the other ends) are refused as overlapping'),
  m('report-clears-outside-window', 'a dirty report clears the whole log, not only the window it reported'),
  m('mtty-header-magic-only', "mtty's resume write checks only the magic of the stream header, not its versions, port count and flags"),
  m('precopy-argsz-exact', 'VFIO_MIG_GET_PRECOPY_INFO refuses an argsz above 24 instead of only one below'),
];
