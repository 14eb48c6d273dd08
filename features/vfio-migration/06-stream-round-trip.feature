@role:vfio-migration
Feature: 06 Saving a device and restoring its state on another
  The bytes read from one saving fd, written in the same order to the resume
  fd of a compatible device, are accepted however the writes are split, and
  leaving RESUMING then succeeds. A stream cut short makes RESUMING to STOP
  fail (the driver knows where its stream ends); which errno, and whether the
  device stays in RESUMING or enters ERROR, is the driver's choice. What the
  destination shows afterwards can be seen only through a driver's own
  registers, so those checks are profiles (refmig, mtty).
  Source: include/uapi/linux/vfio.h, samples/vfio-mdev/mtty.c (Linux 6.12).

  @C-MIG-024
  Scenario Outline: [1] A stream written in chunks of <chunk> bytes is accepted and leaving RESUMING succeeds
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of <chunk> bytes
    And device "dst" is set to STOP
    Then the call succeeds
    And device "dst" is in state STOP

    Examples:
      | chunk    |
      | 1000     |
      | 4096     |
      | 16777216 |

  @C-MIG-024 @C-MIG-017
  Scenario: [2] A stream saved through pre-copy and then STOP_COPY is accepted as one stream
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And a second migratable VFIO device "dst" like the first
    And the device has reached state PRE_COPY
    When the data fd is read until the pre-copy info reports no data
    And the device is set to STOP_COPY
    Then no data fd is returned
    When the data fd is read to its end
    And device "dst" has reached state STOP
    And device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Then the call succeeds

  @profile:refmig @C-MIG-077
  Scenario Outline: [3] refmig: a stream written in chunks of <chunk> bytes restores the source's memory and registers
    Given a migratable VFIO device driven by "refmig"
    And a second migratable VFIO device "dst" like the first
    And "migrated page" is written to region 2 of the device at offset 8192
    And 0x5a is written to region 0 of the device at offset 16
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of <chunk> bytes
    And device "dst" is set to STOP
    Then the call succeeds
    And region 2 of device "dst" at offset 8192 reads "migrated page"
    And region 0 of device "dst" at offset 16 reads 0x5a

    Examples:
      | chunk |
      | 1000  |
      | 4096  |
      | 70000 |

  @profile:refmig @C-MIG-077
  Scenario: [4] refmig: memory written while pre-copy runs is sent again, so the destination gets the final contents
    Given a migratable VFIO device driven by "refmig"
    And a second migratable VFIO device "dst" like the first
    And "before" is written to region 2 of the device at offset 0
    And the device has reached state PRE_COPY
    When the data fd is read to its end
    And "after!" is written to region 2 of the device at offset 0
    And the device is set to STOP_COPY
    Then no data fd is returned
    When the data fd is read to its end
    And device "dst" has reached state STOP
    And device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 1000 bytes
    And device "dst" is set to STOP
    Then the call succeeds
    And region 2 of device "dst" at offset 0 reads "after!"

  @profile:mtty @C-MIG-076
  Scenario Outline: [5] On mtty a round trip in chunks of <chunk> bytes reproduces the port registers and the loopback FIFO
    Given a migratable VFIO device driven by "mtty"
    And a second migratable VFIO device "dst" like the first
    And 0x07 is written to region 0 of the device at offset 2
    And "hello" is written one byte at a time to region 0 of the device at offset 0
    And 0x5a is written to region 0 of the device at offset 7
    And 0x03 is written to region 0 of the device at offset 3
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of <chunk> bytes
    And device "dst" is set to RUNNING
    Then the call succeeds
    And region 0 of device "dst" at offset 7 reads 0x5a
    And region 0 of device "dst" at offset 3 reads 0x03
    And 5 single-byte reads of region 0 of device "dst" at offset 0 give "hello"

    Examples:
      | chunk |
      | 1     |
      | 7     |
      | 96    |

  @C-MIG-037 @C-MIG-013
  Scenario Outline: [6] RESUMING to STOP fails when the stream lost its last <lost> bytes
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the saved stream loses its last <lost> bytes
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Then the call fails
    And device "dst" is in one of the states RESUMING or ERROR

    Examples:
      | lost |
      | 1    |
      | 2    |

  @C-MIG-037 @C-MIG-013
  Scenario Outline: [7] RESUMING to STOP fails when only the first <kept> bytes of the stream were written
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the saved stream is kept to its first <kept> bytes
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Then the call fails
    And device "dst" is in one of the states RESUMING or ERROR

    Examples:
      | kept |
      | 0    |
      | 1    |
      | 24   |

  @profile:mtty @C-MIG-072 @C-MIG-059
  Scenario Outline: [8] mtty's <type> stream is a 24-byte header and one 36-byte record per port
    Given a migratable VFIO device of mdev type "<type>"
    And the device has reached state STOP_COPY
    When the data fd is read to its end
    Then the saved stream is <length> bytes long
    And MIG_DATA_SIZE of the device is the length of the saved stream
    And the saved stream is laid out as:
      | field     | offset | size | value              |
      | magic     | 0      | 8    | 0x7e9d09898c3e2c4e |
      | major_ver | 8      | 4    | 1                  |
      | minor_ver | 12     | 4    | 0                  |
      | nr_ports  | 16     | 4    | <ports>            |
      | flags     | 20     | 4    | 0                  |

    Examples:
      | type   | ports | length |
      | mtty-1 | 1     | 60     |
      | mtty-2 | 2     | 96     |

  @profile:mtty @C-MIG-074
  Scenario: [9] On mtty a resume write completing a header with the wrong magic fails with EFAULT
    Given a migratable VFIO device driven by "mtty"
    And the device has reached state STOP
    When the device is set to RESUMING
    And 0x0000000000000000010000000000000002000000000000000000 is written to the data fd
    Then the call fails with EFAULT

  @profile:mtty @C-MIG-075
  Scenario: [10] On mtty writing more than the stream length to the resume fd fails with ENOMEM
    Given a migratable VFIO device of mdev type "mtty-2"
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the device has reached state STOP
    When the device is set to RESUMING
    And the saved stream is written to the data fd in chunks of 96 bytes
    Then the call succeeds
    When 0x00 is written to the data fd
    Then the call fails with ENOMEM

  @profile:mlx5_vfio_pci @C-MIG-080
  Scenario Outline: [11] On mlx5_vfio_pci RESUMING to STOP succeeds even when the stream <what>
    mlx5 loads the image while it is written and only ends the resume fd when
    RESUMING is left, so the SET succeeds whatever was written: a departure
    from C-MIG-037 ("must fail the SET" for an incomplete stream).
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the saved stream <cut>
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Then the call succeeds
    And device "dst" is in state STOP

    Examples:
      | what                     | cut                          |
      | lost its last byte       | loses its last 1 bytes       |
      | was cut after 24 bytes   | is kept to its first 24 bytes |
      | was never written        | is discarded                 |

  @profile:pds_vfio_pci @C-MIG-087
  Scenario: [12] On pds_vfio_pci a short restore image is refused at RESUMING to STOP, which stays in RESUMING with the fd open
    Given a migratable VFIO device driven by "pds_vfio_pci"
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the first 50 bytes of the saved stream are written to the data fd
    Then the call succeeds
    When device "dst" is set to STOP
    Then the call fails with EIO
    And device "dst" is in state RESUMING
    When the rest of the saved stream is written to the data fd
    And device "dst" is set to STOP
    Then the call succeeds
    And device "dst" is in state STOP

  @profile:mtty @C-MIG-074
  Scenario Outline: [13] On mtty a header with a wrong <field> is refused with EFAULT by the write that completes it, not before
    The header of an mtty-1 stream is magic 0x7e9d09898c3e2c4e, major 1,
    minor 0, one port and flags 0 (24 bytes, little endian). It is written
    in two parts, split inside the header: the first 20 bytes are taken, the
    write of the last 4 completes the header and is refused.
    Given a migratable VFIO device of mdev type "mtty-1"
    And the device has reached state STOP
    When the device is set to RESUMING
    And <first> is written to the data fd
    Then the call succeeds
    When <last> is written to the data fd
    Then the call fails with EFAULT

    Examples:
      | field     | first                                      | last       |
      | magic     | 0x4e2c3e8c89099d7f010000000000000001000000 | 0x00000000 |
      | major_ver | 0x4e2c3e8c89099d7e020000000000000001000000 | 0x00000000 |
      | minor_ver | 0x4e2c3e8c89099d7e010000000100000001000000 | 0x00000000 |
      | nr_ports  | 0x4e2c3e8c89099d7e010000000000000002000000 | 0x00000000 |
      | flags     | 0x4e2c3e8c89099d7e010000000000000001000000 | 0x01000000 |
