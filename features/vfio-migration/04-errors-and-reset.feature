@role:vfio-migration
Feature: 04 ERROR and VFIO_DEVICE_RESET
  ERROR (0) cannot be requested. A driver may enter it when a SET failed and
  it could not bring the device back to a valid state (entering it is
  optional); from then on no SET leaves it. VFIO_DEVICE_RESET (ioctl 0x3B6F)
  returns a migratable device to RUNNING from any state, ERROR included, and
  ends every open data fd. mtty never enters ERROR; the reference's refmig
  enters it when a corrupt stream was partly loaded, as pds does after a
  failed arc.
  Source: include/uapi/linux/vfio.h, drivers/vfio/pci/pds/vfio_dev.c,
  samples/vfio-mdev/mtty.c (Linux 6.12).

  @C-MIG-040 @C-MIG-041
  Scenario Outline: [1] Reset from <state> returns the device to RUNNING and ends the data fd
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state <state>
    When the device is reset
    Then the call succeeds
    And the device is in state RUNNING
    And the data fd has ended

    Examples:
      | state     |
      | STOP_COPY |
      | PRE_COPY  |
      | RESUMING  |

  @C-MIG-040
  Scenario Outline: [2] Reset from <state>, which has no transfer, returns the device to RUNNING
    Given a migratable VFIO device
    And the device has reached state <state>
    When the device is reset
    Then the call succeeds
    And the device is in state RUNNING

    Examples:
      | state   |
      | STOP    |
      | RUNNING |

  @C-MIG-039 @C-MIG-042 @C-MIG-040 @C-MIG-014
  Scenario Outline: [3] A device that entered ERROR after a failed resume stays there for every SET (<target>) until it is reset
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the byte in the middle of the saved stream is inverted
    And the saved stream loses its last 1 bytes
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Given the failed SET left device "dst" in ERROR
    When device "dst" is set to <target>
    Then the call fails
    And the payload written back holds device_state <target> and data_fd -1
    And device "dst" is in state ERROR
    When device "dst" is set to ERROR
    Then device "dst" is in state ERROR
    When device "dst" is reset
    Then the call succeeds
    And device "dst" is in state RUNNING

    Examples:
      | target    |
      | RUNNING   |
      | STOP      |
      | RESUMING  |
      | STOP_COPY |

  @profile:mtty @C-MIG-038
  Scenario: [4] On mtty a RESUMING to STOP with a short stream fails with EINVAL and the resume fd stays usable
    Given a migratable VFIO device driven by "mtty"
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the first 50 bytes of the saved stream are written to the data fd
    And device "dst" is set to STOP
    Then the call fails with EINVAL
    And device "dst" is in state RESUMING
    When the rest of the saved stream is written to the data fd
    And device "dst" is set to STOP
    Then the call succeeds
    And device "dst" is in state STOP

  @profile:refmig @C-MIG-078 @C-MIG-085
  Scenario: [5] refmig refuses a corrupt record with EIO, is left in ERROR by RESUMING to STOP, and answers EIO there
    Given a migratable VFIO device driven by "refmig"
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And byte 100 of the saved stream is inverted
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    Then the call fails with EIO
    When device "dst" is set to STOP
    Then the call fails with EIO
    And device "dst" is in state ERROR
    When device "dst" is set to RUNNING
    Then the call fails with EIO
    And device "dst" is in state ERROR

  @profile:mlx5_vfio_pci @C-MIG-081
  Scenario Outline: [6] On mlx5_vfio_pci opening the device again after it was left in <state> finds it RUNNING
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And the device has reached state <state>
    When the device is closed and opened again
    Then the device is in state RUNNING

    Examples:
      | state        |
      | STOP         |
      | RUNNING_P2P  |
      | STOP_COPY    |
      | PRE_COPY_P2P |

  @profile:mtty @C-MIG-089
  Scenario Outline: [7] On mtty opening the device again after it was left in <state> finds it still in <state>
    Given a migratable VFIO device driven by "mtty"
    And the device has reached state <state>
    When the device is closed and opened again
    Then the device is in state <state>

    Examples:
      | state        |
      | STOP         |
      | RUNNING_P2P  |
      | STOP_COPY    |
      | PRE_COPY_P2P |

  @profile:refmig @C-MIG-085 @C-MIG-042
  Scenario Outline: [8] refmig in ERROR answers EIO to a SET to <target>, stays in ERROR, and leaves it at a reset only
    The corrupt record leaves refmig in ERROR ([5]); every later SET, to a
    valid state or to ERROR itself, is EIO before any path is looked for.
    Given a migratable VFIO device driven by "refmig"
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And byte <byte> of the saved stream is inverted
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Given the failed SET left device "dst" in ERROR
    When device "dst" is set to <target>
    Then the call fails with EIO
    And the payload written back holds device_state <target> and data_fd -1
    And device "dst" is in state ERROR
    When device "dst" is reset
    Then the call succeeds
    And device "dst" is in state RUNNING

    Examples:
      | target    | byte |
      | STOP      | 100  |
      | RESUMING  | 100  |
      | STOP_COPY | 5000 |
      | ERROR     | 5000 |
