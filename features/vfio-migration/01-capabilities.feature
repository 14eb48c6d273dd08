@role:vfio-migration
Feature: 01 Migration capability and the device_state values
  A device that migrates answers GET of VFIO_DEVICE_FEATURE_MIGRATION (feature 1)
  with a u64 of capability bits: STOP_COPY = 0x1 (always set), P2P = 0x2 and
  PRE_COPY = 0x4. Each optional state is settable only when its bits are
  advertised. States travel as u32 values: ERROR 0, STOP 1, RUNNING 2,
  STOP_COPY 3, RESUMING 4, RUNNING_P2P 5, PRE_COPY 6, PRE_COPY_P2P 7.
  Source: include/uapi/linux/vfio.h and drivers/vfio/vfio_main.c (Linux 6.12).

  @C-MIG-002 @C-MIG-003
  Scenario: [1] GET of MIGRATION reports STOP_COPY among its capability bits
    Given a migratable VFIO device
    When VFIO_DEVICE_FEATURE "GET+MIGRATION" is issued on the device with argsz 16
    Then the call succeeds
    And the device is in state RUNNING

  @C-MIG-001 @C-MIG-003 @C-MIG-011
  Scenario Outline: [2] Every mandatory state is reachable and reads back as its value (<state> = <value>)
    Given a migratable VFIO device
    When the device is set to <value>
    Then the call succeeds
    And the device is in state <state>

    Examples:
      | state     | value |
      | STOP      | 1     |
      | RUNNING   | 2     |
      | STOP_COPY | 3     |
      | RESUMING  | 4     |
