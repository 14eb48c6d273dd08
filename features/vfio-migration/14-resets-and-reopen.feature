@role:vfio-migration
Feature: 14 Function resets through config space, and close and reopen
  vfio-pci virtualizes Initiate FLR (bit 15 of the PCI Express Device Control
  register): a write that sets it is not passed to the device; if DEVCAP offers
  FLR (bit 28) the core resets the function, which the migration drivers see
  through their reset_done handler, and the bit always reads back 0. A reset
  returns a migratable device to RUNNING and ends its data fds; it is also the
  way to abort a resume. Closing the device (its last fd) ends its data fds;
  whether a new open finds the old state is the driver's choice: mlx5 starts
  in RUNNING, mtty keeps the state. Devices without a PCI Express capability
  (the mdev samples) skip the FLR scenarios.
  Source: drivers/vfio/pci/vfio_pci_config.c, include/uapi/linux/vfio.h,
  include/linux/vfio.h, drivers/vfio/pci/mlx5/main.c, samples/vfio-mdev/mtty.c
  (Linux 6.12).

  @C-MIG-120 @C-MIG-121
  Scenario Outline: [1] An FLR written to config space in <state> returns the device to RUNNING and ends the data fd
    Given a migratable VFIO device offering <flags>
    And the device offers Function Level Reset in its PCI Express capability
    And the device has reached state <state>
    When Initiate FLR is written to the PCI Express Device Control register of the device
    Then the call succeeds
    And the Initiate FLR bit of the device reads 0
    And the device is in state RUNNING
    And the data fd has ended

    Examples:
      | state        | flags                  |
      | STOP_COPY    | STOP_COPY              |
      | PRE_COPY     | STOP_COPY+PRE_COPY     |
      | PRE_COPY_P2P | STOP_COPY+P2P+PRE_COPY |
      | RESUMING     | STOP_COPY              |

  @C-MIG-120
  Scenario Outline: [2] An FLR in <state>, which has no transfer, returns the device to RUNNING
    Given a migratable VFIO device offering <flags>
    And the device offers Function Level Reset in its PCI Express capability
    And the device has reached state <state>
    When Initiate FLR is written to the PCI Express Device Control register of the device
    Then the call succeeds
    And the device is in state RUNNING

    Examples:
      | state       | flags         |
      | STOP        | STOP_COPY     |
      | RUNNING_P2P | STOP_COPY+P2P |

  @C-MIG-120 @C-MIG-024
  Scenario: [3] An FLR aborts a resume; a new resume of the whole stream then succeeds
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And device "dst" offers Function Level Reset in its PCI Express capability
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the first 16 bytes of the saved stream are written to the data fd
    And Initiate FLR is written to the PCI Express Device Control register of device "dst"
    Then device "dst" is in state RUNNING
    And the data fd has ended
    Given device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Then the call succeeds

  @C-MIG-121
  Scenario: [4] Initiate FLR reads 0 also where DEVCAP offers no FLR
    Given a VFIO device without migration support
    And the device has a PCI Express capability
    When Initiate FLR is written to the PCI Express Device Control register of the device
    Then the call succeeds
    And the Initiate FLR bit of the device reads 0

  @profile:mlx5_vfio_pci @C-MIG-122
  Scenario Outline: [5] On mlx5_vfio_pci an FLR in <state> is applied as a deferred reset: RUNNING, and the old save fd reads ENODEV
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And the device has reached state <state>
    When Initiate FLR is written to the PCI Express Device Control register of the device
    Then the device is in state RUNNING
    When 1 bytes are read from the data fd
    Then the call fails with ENODEV

    Examples:
      | state        |
      | STOP_COPY    |
      | PRE_COPY_P2P |

  @C-MIG-088 @C-MIG-024
  Scenario: [6] Closing the destination mid-resume ends its resume fd; after a new open and a reset a whole stream restores it
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the first 16 bytes of the saved stream are written to the data fd
    And device "dst" is closed and opened again
    Then the data fd has ended
    When device "dst" is reset
    Then the call succeeds
    Given device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Then the call succeeds

  @profile:refmig @C-MIG-123
  Scenario Outline: [7] refmig starts in RUNNING after a reopen from <state>, and the old data fd has ended
    Given a migratable VFIO device driven by "refmig"
    And the device has reached state <state>
    When the device is closed and opened again
    Then the device is in state RUNNING
    And the data fd has ended

    Examples:
      | state        |
      | STOP_COPY    |
      | PRE_COPY_P2P |
      | RESUMING     |

  @profile:mlx5_vfio_pci @C-MIG-124
  Scenario Outline: [8] On mlx5_vfio_pci a reopen from <state> finds RUNNING, and the old data fd has ended
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And the device has reached state <state>
    When the device is closed and opened again
    Then the device is in state RUNNING
    And the data fd has ended

    Examples:
      | state        |
      | STOP_COPY    |
      | PRE_COPY_P2P |
      | RESUMING     |

  @profile:mtty @C-MIG-125
  Scenario: [9] On mtty closing ends the data fd but keeps STOP_COPY; STOP then STOP_COPY gives the whole stream again
    Given a migratable VFIO device driven by "mtty"
    And the device has reached state STOP_COPY
    When the device is closed and opened again
    Then the device is in state STOP_COPY
    And the data fd has ended
    Given the device has reached state STOP
    When the device is set to STOP_COPY
    Then a new data fd is returned
    When the data fd is read to its end
    Then MIG_DATA_SIZE of the device is the length of the saved stream
