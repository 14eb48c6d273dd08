// Client profiles: what a VMM relies on when it migrates a VFIO device, read
// from the client's own source and tagged with the version it was read from.
// Scenarios tagged @client:<name> replay that client's call sequence against
// whatever migratable device the implementation declares; the summary and the
// certificate answer per client and version "can migrate this device".
// The clauses belong to the migration area (C-MIG-190..219).
import { client, defineClauses } from './catalog';

export interface VmmClient { name: string; version: string; source: string }

// QEMU: hw/vfio/migration.c as stored in the library (commit 019d9e6cc408, in
// the 9.1 development cycle: .save_setup already takes an Error **, while
// vfio_migration_set_state() does not yet). The sequence is the same in the
// later stored versions read for comparison (the multifd series), which only
// add a skip of a SET to the current state.
// Cloud Hypervisor: pci/src/vfio.rs and docs/vfio.md at main v53.0-246-gae44c2971
// (2026-08-22), calling vfio-ioctls 0.8.1 (whose source is not in the library).
export const CLIENTS: Record<string, VmmClient> = {
  qemu: { name: 'QEMU', version: '9.1-dev (019d9e6cc408)', source: 'qemu hw/vfio/migration.c' },
  'cloud-hypervisor': { name: 'Cloud Hypervisor', version: 'v53.0-246-gae44c2971', source: 'cloud-hypervisor pci/src/vfio.rs' },
};

const Q = CLIENTS.qemu.version;
const QM = 'qemu hw/vfio/migration.c';
const C = CLIENTS['cloud-hypervisor'].version;
const CH = 'cloud-hypervisor pci/src/vfio.rs';

export const VMM_CLIENT_CLAUSES = defineClauses({
  'C-MIG-190': client('qemu', Q, 'At realize QEMU reads the migration flags with GET of VFIO_DEVICE_FEATURE_MIGRATION (argsz 16); a failure or flags without STOP_COPY make it add a migration blocker instead of migrating the device.', `${QM}: vfio_migration_init(), vfio_migration_query_flags(), vfio_migration_realize()`, { noLimit: 'the fixed argsz QEMU sends, not a bound the device checks' }),
  'C-MIG-191': client('qemu', Q, 'QEMU decides whether the device tracks its own dirty pages with a PROBE of DMA_LOGGING_START that asks for neither GET nor SET (argsz 8): any failure means no tracking, and with its default enable-migration=auto a device without tracking gets a migration blocker (enable-migration=on migrates it with a warning).', `${QM}: vfio_dma_logging_supported(), vfio_migration_realize()`, { noLimit: 'the fixed argsz QEMU sends, not a bound the device checks' }),
  'C-MIG-192': client('qemu', Q, 'At save set-up QEMU sizes its read buffer as the smaller of 1 MiB and MIG_DATA_SIZE (a failed GET leaves 1 MiB); an answer of 0 makes the buffer allocation, and so the migration, fail.', `${QM}: vfio_save_setup(), vfio_query_stop_copy_size()`),
  'C-MIG-193': client('qemu', Q, 'With PRE_COPY offered, the save set-up SETs RUNNING to PRE_COPY (recovery state RUNNING) and keeps the data fd it returns; it then asks VFIO_MIG_GET_PRECOPY_INFO for initial_bytes and dirty_bytes (a failure counts as 0 and 0).', `${QM}: vfio_save_setup(), vfio_query_precopy_size()`),
  'C-MIG-194': client('qemu', Q, 'Each pre-copy iteration reads once (up to its buffer size): ENOMSG or 0 bytes count as "nothing for now"; what it read is taken off initial_bytes first, then dirty_bytes, and the device counts as converged when both reach 0. With switchover-ack the destination lets the source switch over only after initial_bytes reached 0, so the initial data must drain by reading.', `${QM}: vfio_save_iterate(), vfio_save_block(), vfio_update_estimated_pending_data(), vfio_state_pending_exact()`),
  'C-MIG-195': client('qemu', Q, 'When the VM stops for switchover from PRE_COPY, QEMU SETs PRE_COPY_P2P (devices with P2P), then STOP_COPY, then STOP_COPY again from the completion hook; none of these SETs may return a new data fd (QEMU fails the migration with EBADF when a second fd appears).', `${QM}: vfio_vmstate_change_prepare(), vfio_vmstate_change(), vfio_save_complete_precopy(), vfio_migration_set_state()`),
  'C-MIG-196': client('qemu', Q, 'Without PRE_COPY the VM stop SETs RUNNING_P2P (devices with P2P) and STOP, and the completion hook SETs STOP_COPY, which must return the saving fd.', `${QM}: vfio_vmstate_change_prepare(), vfio_vmstate_change(), vfio_save_complete_precopy()`),
  'C-MIG-197': client('qemu', Q, 'In STOP_COPY QEMU reads until read() returns 0; it takes ENOMSG for the end as well, so a device that answered ENOMSG there would silently lose the rest of its state. After the migration completes it SETs STOP_COPY to STOP.', `${QM}: vfio_save_complete_precopy(), vfio_save_block(), vfio_save_cleanup()`),
  'C-MIG-198': client('qemu', Q, 'On the destination QEMU SETs RESUMING from RUNNING in one call (recovery state: the state it was in), writes each block exactly as the source read it, closes the resume fd and then starts the VM: RESUMING to RUNNING_P2P (devices with P2P) and RUNNING.', `${QM}: vfio_load_setup(), vfio_load_state(), vfio_load_buffer(), vfio_load_cleanup(), vfio_vmstate_change_prepare(), vfio_vmstate_change()`),
  'C-MIG-199': client('qemu', Q, 'When a SET fails QEMU SETs its recovery state; when that fails too, or the recovery state is ERROR (every SET of the VM state handlers, the save clean-up and a failed pre-copy), it issues VFIO_DEVICE_RESET and takes the device to be RUNNING (a failed reset aborts QEMU). A migration that fails in pre-copy SETs RUNNING the same way.', `${QM}: vfio_migration_set_state(), vfio_migration_set_state_or_reset(), vfio_migration_state_notifier()`),
  'C-MIG-200': client('cloud-hypervisor', C, 'At device creation Cloud Hypervisor reads the migration flags (VFIO_DEVICE_FEATURE_MIGRATION); a device whose flags include STOP_COPY is snapshotted and migrated through migration v2, any other is treated as not migratable.', `${CH}: VfioCommon::new() (migration_flags), Migratable::start_migration(); docs/vfio.md "Snapshot and Restore of VFIO Devices"`),
  'C-MIG-201': client('cloud-hypervisor', C, 'A snapshot pauses the device with one SET to STOP, then SETs STOP_COPY (recovery state STOP), reads the whole stream from the fd it returns until read() returns 0, and SETs STOP again.', `${CH}: Pausable::pause(), VfioCommon::save_migration_data(); docs/vfio.md "Behavior"`),
  'C-MIG-202': client('cloud-hypervisor', C, 'A restore SETs RESUMING on the freshly opened (RUNNING) device in one call, writes the saved blob to the fd it returns, leaves the device in RESUMING while it restores config and interrupts, and resume() SETs RUNNING from RESUMING in one call.', `${CH}: VfioCommon::set_state(), load_migration_data(), Pausable::resume(); docs/vfio.md "Behavior"`),
  'C-MIG-203': client('cloud-hypervisor', C, 'A failed SET is followed by a SET of the recovery state when the caller names one, otherwise (or when that fails) by VFIO_DEVICE_RESET; a failed write of the blob is followed by a reset directly. The reset must return the device to RUNNING.', `${CH}: VfioCommon::transition_migration_state_with_recovery(), reset_and_rearm(), load_migration_data()`),
  'C-MIG-204': client('cloud-hypervisor', C, 'Live migration needs device DMA logging: DMA_LOGGING_START over the guest memory ranges (iova equal to gpa) with the host page size as a hint, then REPORTs at the page size the START wrote back, and DMA_LOGGING_STOP; there is no iterative device state, so PRE_COPY is not used.', `${CH}: VfioCommon::start_dirty_log(), dirty_log(), stop_dirty_log(); docs/vfio.md "Live Migration of VFIO Devices"`),
});
