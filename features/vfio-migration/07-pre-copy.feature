@role:vfio-migration
Feature: 07 Pre-copy and VFIO_MIG_GET_PRECOPY_INFO
  A device advertising PRE_COPY streams state while it keeps running.
  VFIO_MIG_GET_PRECOPY_INFO (ioctl 0x3B79 on the saving fd, struct of 24 bytes:
  argsz u32, flags u32, initial_bytes u64, dirty_bytes u64) answers only in
  PRE_COPY and PRE_COPY_P2P. initial_bytes should start above 0 and does not
  grow as the initial data is read; dirty_bytes starts at 0. When both are 0 a
  read is at a temporary end: ENOMSG (the uAPI's "should"), or 0 as mtty and
  hisi_acc answer. Without the 2026 PRECOPY_INFOv2 opt-in the flags field
  comes back as the caller gave it.
  Source: include/uapi/linux/vfio.h, samples/vfio-mdev/mtty.c,
  drivers/vfio/pci/mlx5/main.c (Linux 6.12).

  @C-MIG-028 @C-MIG-032 @C-MIG-033 @C-MIG-036
  Scenario: [1] Entering PRE_COPY gives initial data to read and no dirty data yet
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    When the device is set to PRE_COPY
    Then a new data fd is returned
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the pre-copy info reports:
      | initial_bytes | above 0 |
      | dirty_bytes   | 0       |

  @C-MIG-032 @C-MIG-034 @C-MIG-023
  Scenario: [2] initial_bytes shrinks as it is read, and at 0 and 0 a read is at a temporary end
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state PRE_COPY
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the pre-copy info reports:
      | initial_bytes | above 16 |
    When 16 bytes are read from the data fd
    Then the read returns 16 bytes
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then initial_bytes has not grown
    When the data fd is read until the pre-copy info reports no data
    Then the data fd is at a temporary end

  @C-MIG-023
  Scenario: [3] In PRE_COPY_P2P too a read with nothing available is a temporary end
    Given a migratable VFIO device offering STOP_COPY+P2P+PRE_COPY
    And the device has reached state PRE_COPY_P2P
    When the data fd is read to its end
    Then the data fd is at a temporary end

  @C-MIG-029
  Scenario Outline: [4] VFIO_MIG_GET_PRECOPY_INFO in <state> fails with EINVAL
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state PRE_COPY
    And the device is set to <state>
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the call fails with EINVAL

    Examples:
      | state     |
      | STOP_COPY |
      | RUNNING   |

  @C-MIG-030
  Scenario Outline: [5] VFIO_MIG_GET_PRECOPY_INFO with argsz <argsz> fails with EINVAL
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state PRE_COPY
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz <argsz>
    Then the call fails with EINVAL

    Examples:
      | argsz |
      | 0     |
      | 8     |
      | 16    |
      | 23    |

  @C-MIG-035
  Scenario: [6] The flags field comes back as the caller gave it
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state PRE_COPY
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24 and flags 5
    Then the pre-copy info reports:
      | flags | 5 |
      | argsz | 24 |

  @C-MIG-017 @C-MIG-045
  Scenario: [7] PRE_COPY to PRE_COPY_P2P and back keeps the same data fd and the device running
    Given a migratable VFIO device offering STOP_COPY+P2P+PRE_COPY
    And the device has reached state PRE_COPY
    When the device is set to PRE_COPY_P2P
    Then no data fd is returned
    When the device is set to PRE_COPY
    Then no data fd is returned
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the call succeeds

  @profile:mtty @C-MIG-073
  Scenario: [8] On mtty pre-copy data is exactly the 24-byte stream header
    Given a migratable VFIO device driven by "mtty"
    When the device is set to PRE_COPY
    And VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the pre-copy info reports:
      | initial_bytes | 24 |
      | dirty_bytes   | 0  |
    When the data fd is read to its end
    Then the saved stream is 24 bytes long
    And the data fd is at a temporary end

  @C-MIG-017 @C-MIG-021
  Scenario: [9] PRE_COPY to STOP_COPY keeps the fd, which then yields the rest of the stream to a permanent end
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state PRE_COPY
    And the data fd is read until the pre-copy info reports no data
    When the device is set to STOP_COPY
    Then no data fd is returned
    When the data fd is read to its end
    Then the data fd is at its end

  @profile:mtty @C-MIG-059
  Scenario: [10] On mtty the pre-copy header and the STOP_COPY rest make exactly MIG_DATA_SIZE bytes
    Given a migratable VFIO device driven by "mtty"
    And the device has reached state PRE_COPY
    And the data fd is read to its end
    When the device is set to STOP_COPY
    Then no data fd is returned
    When the data fd is read to its end
    Then MIG_DATA_SIZE of the device is the length of the saved stream

  @profile:mlx5_vfio_pci @C-MIG-082
  Scenario: [11] On mlx5_vfio_pci a pre-copy read at the temporary end fails with ENOMSG
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And the device has reached state PRE_COPY
    When the data fd is read until the pre-copy info reports no data
    And 16 bytes are read from the data fd
    Then the call fails with ENOMSG
