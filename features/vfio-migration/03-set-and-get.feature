@role:vfio-migration
Feature: 03 Setting and reading device_state
  VFIO_DEVICE_FEATURE with MIG_DEVICE_STATE (feature 2) reads the state (GET)
  or requests a new one (SET). The payload is {device_state u32, data_fd s32}.
  A GET never changes anything and answers data_fd -1. A SET to an invalid or
  unsupported state is refused with EINVAL and changes nothing; a SET that fails
  after it started still writes the payload back with data_fd -1 (the core does
  that), and leaves the device in its start state, on the way to the target,
  or in ERROR; which errno the driver gives is its own choice.
  Source: include/uapi/linux/vfio.h, drivers/vfio/vfio_main.c (Linux 6.12).

  @C-MIG-005 @C-MIG-014
  Scenario Outline: [1] A SET to <target> is refused with EINVAL, written back with data_fd -1, and the state stays <start>
    The refusal comes from the driver's walk of the state machine, so the core
    writes the payload back as for any other failed SET.
    Given a migratable VFIO device
    And the device has reached state <start>
    When the device is set to <target>
    Then the call fails with EINVAL
    And the payload written back holds device_state <target> and data_fd -1
    And the device is in state <start>

    Examples:
      | start     | target |
      | RUNNING   | ERROR  |
      | RUNNING   | 8      |
      | RUNNING   | 9      |
      | RUNNING   | 42     |
      | STOP      | ERROR  |
      | STOP_COPY | 8      |

  @C-MIG-004 @C-MIG-014
  Scenario Outline: [2] A device without <flag> refuses <target>, a state that needs it
    Given a migratable VFIO device advertising <flags>
    When the device is set to <target>
    Then the call fails with EINVAL
    And the payload written back holds device_state <target> and data_fd -1
    And the device is in state RUNNING

    Examples:
      | flag     | flags              | target       |
      | P2P      | STOP_COPY          | RUNNING_P2P  |
      | P2P      | STOP_COPY+PRE_COPY | PRE_COPY_P2P |
      | PRE_COPY | STOP_COPY+P2P      | PRE_COPY     |
      | PRE_COPY | STOP_COPY+P2P      | PRE_COPY_P2P |

  @C-MIG-015
  Scenario: [3] GET answers data_fd -1 and changes nothing, however often it is asked
    Given a migratable VFIO device
    And the device has reached state STOP_COPY
    When VFIO_DEVICE_FEATURE "GET+MIG_DEVICE_STATE" is issued on the device with argsz 16
    Then the call succeeds
    And the device is in state STOP_COPY
    And the device is in state STOP_COPY
    And the data fd is close-on-exec and read-only

  @C-MIG-014 @C-MIG-013 @C-MIG-037
  Scenario: [4] A SET that fails on its way writes the payload back with data_fd -1 and stops on the path or in ERROR
    Given a migratable VFIO device
    And the device is set to RESUMING
    When the device is set to RUNNING
    Then the call fails
    And the payload written back holds device_state RUNNING and data_fd -1
    And the device is in one of the states RESUMING, STOP or ERROR

  @C-MIG-012
  Scenario: [5] The state does not change on its own: not by reading the stream, closing the fd or touching the device
    Given a migratable VFIO device
    And the device has reached state STOP_COPY
    When the data fd is read to its end
    And the data fd is closed
    And 0x00 is written to region 7 of the device at offset 60
    Then the device is in state STOP_COPY

  @C-MIG-011 @C-MIG-039 @C-MIG-005
  Scenario Outline: [6] A successful SET to <target> is followed by a GET of exactly <target>, never ERROR
    PRE_COPY_P2P is 7, the last value of the enum and one below the first
    value a SET refuses (8).
    Given a migratable VFIO device advertising STOP_COPY+P2P+PRE_COPY
    When the device is set to <target>
    Then the call succeeds
    And the device is in state <target>

    Examples:
      | target       |
      | STOP         |
      | RUNNING_P2P  |
      | PRE_COPY     |
      | PRE_COPY_P2P |
      | STOP_COPY    |
      | RESUMING     |

  @C-MIG-010 @hangs-unfixed-kernels
  Scenario Outline: [7] STOP_COPY to <target> is refused with EINVAL and the device stays in STOP_COPY
    The lab's 6.12.117 kernel answers EINVAL; kernels from 6.2 until the June
    2026 fix spin forever on this request, so it is sent only to
    implementations that declare the fix.
    Given a migratable VFIO device offering STOP_COPY+P2P+PRE_COPY
    And the device has reached state STOP_COPY
    When the device is set to <target>
    Then the call fails with EINVAL
    And the device is in state STOP_COPY

    Examples:
      | target       |
      | PRE_COPY     |
      | PRE_COPY_P2P |
