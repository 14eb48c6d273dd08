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

  @C-MIG-009 @C-MIG-007 @C-MIG-025
  Scenario Outline: [12] PRE_COPY to STOP after <count> bytes of pre-copy data were read passes through no other saving state and ends the fd
    PRE_COPY_P2P, a saving state, must not appear inside the path: with P2P
    the path is PRE_COPY > RUNNING > RUNNING_P2P > STOP. The path is checked
    where the implementation shows its arcs; the fd's end everywhere.
    Given a migratable VFIO device advertising STOP_COPY+P2P+PRE_COPY
    And the device has reached state PRE_COPY
    When <count> bytes are read from the data fd
    And the device is set to STOP
    Then the SET gives data_fd -1
    And the device is in state STOP
    And the arcs performed on the device were "PRE_COPY > RUNNING > RUNNING_P2P > STOP"
    And the data fd has ended

    Examples:
      | count |
      | 1     |
      | 16    |

  @C-MIG-029
  Scenario Outline: [13] VFIO_MIG_GET_PRECOPY_INFO in STOP_COPY entered from <from> fails with EINVAL, before and after the stream is read
    Given a migratable VFIO device offering STOP_COPY+P2P+PRE_COPY
    And the device has reached state <from>
    And the device is set to STOP_COPY
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the call fails with EINVAL
    When the data fd is read to its end
    And VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the call fails with EINVAL

    Examples:
      | from         |
      | PRE_COPY_P2P |
      | PRE_COPY     |

  @C-MIG-030 @C-MIG-035
  Scenario Outline: [14] VFIO_MIG_GET_PRECOPY_INFO with argsz <argsz>, at or above the 24-byte struct, succeeds
    Only an argsz below 24 is refused ([5]: 23, one below the limit); a larger
    one is the caller's buffer and is fine. argsz comes back as given.
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state PRE_COPY
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz <argsz>
    Then the call succeeds
    And the pre-copy info reports:
      | argsz | <argsz> |
      | flags | 0       |

    Examples:
      | argsz |
      | 24    |
      | 25    |
      | 4096  |

  @profile:refmig @C-MIG-170
  Scenario Outline: [15] refmig counts a memory write during pre-copy (<what>) in dirty_bytes and sends it before the next temporary end
    Given a migratable VFIO device driven by "refmig"
    And the device has reached state PRE_COPY
    And the data fd is read until the pre-copy info reports no data
    When <data> is written to region 2 of the device at offset <offset>
    And VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24
    Then the pre-copy info reports:
      | initial_bytes | 0       |
      | dirty_bytes   | <dirty> |
    When the data fd is read until the pre-copy info reports no data
    Then the data fd is at a temporary end

    Examples:
      | what                                  | data | offset | dirty      |
      | the first byte of the first page      | "a"  | 0      | above 4096 |
      | two bytes across pages 0 and 1        | "ab" | 4095   | above 8192 |
      | the last byte of the last page        | "z"  | 65535  | above 4096 |
