@role:vfio-migration
Feature: 30 What QEMU and Cloud Hypervisor rely on when they migrate a device
  Each scenario replays one VMM's calls, in its order, against whatever
  migratable device the implementation declares, and checks exactly what
  that client relies on (it can be more than the uAPI asks: QEMU cannot
  allocate a read buffer for a MIG_DATA_SIZE of 0, and with its default
  enable-migration=auto it needs device dirty tracking). The summary and the
  certificate answer per client and version whether it can migrate the
  declared devices. A client scenario never decides the uAPI verdict.
  Sources: QEMU hw/vfio/migration.c (commit 019d9e6cc408, 9.1 development
  cycle); Cloud Hypervisor pci/src/vfio.rs and docs/vfio.md (main,
  v53.0-246-gae44c2971, August 2026).

  @client:qemu @C-MIG-190 @C-MIG-191
  Scenario: [1] QEMU's realize: the migration flags include STOP_COPY and a PROBE alone finds device dirty tracking
    Given a migratable VFIO device
    When VFIO_DEVICE_FEATURE "GET+MIGRATION" is issued on the device with argsz 16
    Then the payload holds migration flags including STOP_COPY
    When VFIO_DEVICE_FEATURE "PROBE+DMA_LOGGING_START" is issued on the device with argsz 8
    Then the call succeeds

  @client:qemu @C-MIG-192 @C-MIG-193 @C-MIG-194 @C-MIG-195 @C-MIG-197 @C-MIG-198
  Scenario: [2] QEMU migrates a device with P2P and PRE_COPY: pre-copy until drained, PRE_COPY_P2P, STOP_COPY, then resume through RUNNING_P2P
    Given a migratable VFIO device advertising STOP_COPY+P2P+PRE_COPY
    And a second migratable VFIO device "dst" like the first
    Then MIG_DATA_SIZE of the device is above 0 where it answers
    When the device is set to PRE_COPY
    Then a new data fd is returned
    When the data fd is read until the pre-copy info reports no data
    And the device is set to PRE_COPY_P2P
    Then no data fd is returned
    When the device is set to STOP_COPY
    Then no data fd is returned
    When the device is set to STOP_COPY
    Then no data fd is returned
    When the data fd is read to its end in reads of MIG_DATA_SIZE of the device, at most 1048576 bytes
    And the device is set to STOP
    Then the call succeeds
    When device "dst" is set to RESUMING
    Then a new data fd is returned
    When the saved stream is written to the data fd one write per read
    Then the call succeeds
    When the data fd is closed
    And device "dst" is set to RUNNING_P2P
    Then the call succeeds
    When device "dst" is set to RUNNING
    Then the call succeeds
    And device "dst" is in state RUNNING

  @client:qemu @C-MIG-192 @C-MIG-193 @C-MIG-194 @C-MIG-195 @C-MIG-197 @C-MIG-198
  Scenario: [3] QEMU migrates a device with PRE_COPY and no P2P: pre-copy until drained, STOP_COPY, then resume
    Given a migratable VFIO device advertising STOP_COPY+PRE_COPY
    And a second migratable VFIO device "dst" like the first
    Then MIG_DATA_SIZE of the device is above 0 where it answers
    When the device is set to PRE_COPY
    Then a new data fd is returned
    When the data fd is read until the pre-copy info reports no data
    And the device is set to STOP_COPY
    Then no data fd is returned
    When the device is set to STOP_COPY
    Then no data fd is returned
    When the data fd is read to its end in reads of MIG_DATA_SIZE of the device, at most 1048576 bytes
    And the device is set to STOP
    Then the call succeeds
    When device "dst" is set to RESUMING
    Then a new data fd is returned
    When the saved stream is written to the data fd one write per read
    Then the call succeeds
    When the data fd is closed
    And device "dst" is set to RUNNING
    Then the call succeeds
    And device "dst" is in state RUNNING

  @client:qemu @C-MIG-192 @C-MIG-196 @C-MIG-197 @C-MIG-198
  Scenario: [4] QEMU migrates a device with P2P and no PRE_COPY: RUNNING_P2P, STOP, STOP_COPY, then resume through RUNNING_P2P
    Given a migratable VFIO device advertising STOP_COPY+P2P
    And a second migratable VFIO device "dst" like the first
    Then MIG_DATA_SIZE of the device is above 0 where it answers
    When the device is set to RUNNING_P2P
    Then the call succeeds
    When the device is set to STOP
    Then the call succeeds
    When the device is set to STOP_COPY
    Then a new data fd is returned
    When the data fd is read to its end in reads of MIG_DATA_SIZE of the device, at most 1048576 bytes
    And the device is set to STOP
    Then the call succeeds
    When device "dst" is set to RESUMING
    Then a new data fd is returned
    When the saved stream is written to the data fd one write per read
    Then the call succeeds
    When the data fd is closed
    And device "dst" is set to RUNNING_P2P
    Then the call succeeds
    When device "dst" is set to RUNNING
    Then the call succeeds
    And device "dst" is in state RUNNING

  @client:qemu @C-MIG-192 @C-MIG-196 @C-MIG-197 @C-MIG-198
  Scenario: [5] QEMU migrates a device with STOP_COPY only: STOP, STOP_COPY, then resume
    Given a migratable VFIO device advertising STOP_COPY
    And a second migratable VFIO device "dst" like the first
    Then MIG_DATA_SIZE of the device is above 0 where it answers
    When the device is set to STOP
    Then the call succeeds
    When the device is set to STOP_COPY
    Then a new data fd is returned
    When the data fd is read to its end in reads of MIG_DATA_SIZE of the device, at most 1048576 bytes
    And the device is set to STOP
    Then the call succeeds
    When device "dst" is set to RESUMING
    Then a new data fd is returned
    When the saved stream is written to the data fd one write per read
    Then the call succeeds
    When the data fd is closed
    And device "dst" is set to RUNNING
    Then the call succeeds
    And device "dst" is in state RUNNING

  @client:qemu @C-MIG-199
  Scenario: [6] A migration cancelled in pre-copy: QEMU's SET back to RUNNING succeeds and ends the saving fd
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    When the device is set to PRE_COPY
    Then a new data fd is returned
    When 1 bytes are read from the data fd
    And the device is set to RUNNING
    Then the call succeeds
    And the device is in state RUNNING
    And the data fd has ended

  @client:qemu @C-MIG-199
  Scenario: [7] When starting the VM fails after a truncated stream, QEMU's reset returns the destination to RUNNING
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the saved stream loses its last 1 bytes
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And the data fd is closed
    And device "dst" is set to RUNNING
    Given the last call failed
    When device "dst" is reset
    Then the call succeeds
    And device "dst" is in state RUNNING

  @client:cloud-hypervisor @C-MIG-200 @C-MIG-201 @C-MIG-202
  Scenario: [8] Cloud Hypervisor snapshots a device through STOP and STOP_COPY and restores it onto another with one SET each way
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    When VFIO_DEVICE_FEATURE "GET+MIGRATION" is issued on the device with argsz 16
    Then the payload holds migration flags including STOP_COPY
    When the device is set to STOP
    Then the call succeeds
    When the device is set to STOP_COPY
    Then a new data fd is returned
    When the data fd is read to its end
    And the device is set to STOP
    Then the call succeeds
    When device "dst" is set to RESUMING
    Then a new data fd is returned
    When the saved stream is written to the data fd in chunks of 16777216 bytes
    Then the call succeeds
    And the config space of device "dst" answers
    When device "dst" is set to RUNNING
    Then the call succeeds
    And device "dst" is in state RUNNING

  @client:cloud-hypervisor @C-MIG-203
  Scenario: [9] When the write of a corrupt blob fails, Cloud Hypervisor's reset returns the device to RUNNING
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the byte in the middle of the saved stream is inverted
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 16777216 bytes
    Given the last call failed
    When device "dst" is reset
    Then the call succeeds
    And device "dst" is in state RUNNING

  @client:cloud-hypervisor @C-MIG-203
  Scenario: [10] When resume() fails after a short blob, Cloud Hypervisor's reset returns the device to RUNNING
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the saved stream loses its last 1 bytes
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 16777216 bytes
    And device "dst" is set to RUNNING
    Given the last call failed
    When device "dst" is reset
    Then the call succeeds
    And device "dst" is in state RUNNING

  @client:cloud-hypervisor @C-MIG-204
  Scenario: [11] Cloud Hypervisor's live migration starts DMA logging over guest memory, reports at the page size written back and stops it
    Given a migratable VFIO device
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at the page size written back
    Then the call succeeds
    When DMA logging is stopped on the device
    Then the call succeeds
