@role:vfio-migration
Feature: 13 The lab's test driver
  tckmig (lab/test-driver/tckmig.c) is the kernel lab's own migratable mdev
  driver: one mdev type per migration flag set, so that every row of the
  transition table and DMA logging's report path meet the real VFIO core
  (drivers/vfio/vfio_main.c, drivers/iommu/iommufd/iova_bitmap.c). What the
  core decides is checked by the generic scenarios; what the test driver
  chose for itself is its profile, below.
  Source: lab/test-driver/tckmig.c.

  @profile:tckmig @C-MIG-094
  Scenario Outline: [1] A tckmig device of type <type> advertises exactly <flags>
    Given a migratable VFIO device of mdev type "<type>"
    When VFIO_DEVICE_FEATURE "GET|MIGRATION" is issued on the device with argsz 16
    Then the payload holds migration flags <flags>

    Examples:
      | type     | flags                  |
      | tckmig-1 | STOP_COPY              |
      | tckmig-3 | STOP_COPY+P2P          |
      | tckmig-5 | STOP_COPY+PRE_COPY     |
      | tckmig-7 | STOP_COPY+P2P+PRE_COPY |

  # It reads MIG_DATA_SIZE, which the 6.1 uAPI does not have.
  @profile:tckmig @C-MIG-095 @kernel>=6.2
  Scenario: [2] tckmig's stream is a 16-byte header and 64 bytes of state
    Given a migratable VFIO device of mdev type "tckmig-3"
    And the device has reached state STOP_COPY
    When the data fd is read to its end
    Then the saved stream is 80 bytes long
    And MIG_DATA_SIZE of the device is the length of the saved stream
    And the saved stream is laid out as:
      | field   | offset | size | value              |
      | magic   | 0      | 8    | 0x31474d4b43544656 |
      | version | 8      | 4    | 1                  |
      | flags   | 12     | 4    | 3                  |

  @profile:tckmig @C-MIG-096
  Scenario: [3] tckmig's pre-copy data is the 16-byte header, then a temporary end
    Given a migratable VFIO device of mdev type "tckmig-5"
    When the device is set to PRE_COPY
    And VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the pre-copy info reports:
      | initial_bytes | 16 |
      | dirty_bytes   | 0  |
    When the data fd is read to its end
    Then the saved stream is 16 bytes long
    And the data fd is at a temporary end

  @profile:tckmig @C-MIG-097
  Scenario: [4] On tckmig RESUMING to STOP after a short stream fails with EINVAL and stays in RESUMING
    Given a migratable VFIO device of mdev type "tckmig-1"
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the device has reached state STOP
    And the device is set to RESUMING
    And the first 40 bytes of the saved stream are written to the data fd
    When the device is set to STOP
    Then the call fails with EINVAL
    And the device is in state RESUMING

  @profile:tckmig @C-MIG-099
  Scenario: [5] tckmig refuses a second START without STOP, and accepts one after STOP
    Given a migratable VFIO device of mdev type "tckmig-7"
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call fails with EINVAL
    When DMA logging is stopped on the device
    Then the call succeeds
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds

  @profile:tckmig @C-MIG-100
  Scenario: [6] tckmig tracks at 4096 bytes whatever page size START asks for
    Given a migratable VFIO device of mdev type "tckmig-7"
    When DMA logging is started on the device with page size 16384 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds
    And the page size written back is 4096

  @profile:tckmig @C-MIG-101
  Scenario: [7] tckmig refuses a report while logging is not started
    Given a migratable VFIO device of mdev type "tckmig-7"
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the call fails with EINVAL

  @profile:tckmig @C-MIG-098 @C-MIG-102
  Scenario: [8] tckmig reports reset support, and a reopened device starts in RUNNING
    Given a migratable VFIO device of mdev type "tckmig-3"
    And the device reports VFIO_DEVICE_FLAGS_RESET
    And the device has reached state STOP
    When the device is closed and opened again
    Then the device is in state RUNNING
