@role:vfio-migration
Feature: 09 MIG_DATA_SIZE
  GET of VFIO_DEVICE_FEATURE_MIG_DATA_SIZE (feature 9, payload u64
  stop_copy_length) answers in every migration state with the driver's
  estimate of the STOP_COPY stream length. The uAPI calls it an estimate, so
  only that it answers is a rule; mlx5 answers its firmware's total_size and
  pds a constant. mtty gives the exact length (its profile).
  Source: include/uapi/linux/vfio.h, samples/vfio-mdev/mtty.c,
  drivers/vfio/pci/mlx5/main.c mlx5vf_pci_get_data_size(),
  drivers/vfio/pci/pds/vfio_dev.c pds_vfio_get_device_state_size() (Linux 6.12).

  @C-MIG-058
  Scenario Outline: [1] MIG_DATA_SIZE answers in <state>
    Given a migratable VFIO device offering STOP_COPY+P2P+PRE_COPY
    And the device has reached state <state>
    Then GET of MIG_DATA_SIZE on the device succeeds

    Examples:
      | state        |
      | STOP         |
      | RUNNING      |
      | STOP_COPY    |
      | RESUMING     |
      | RUNNING_P2P  |
      | PRE_COPY     |
      | PRE_COPY_P2P |

  @profile:mtty @C-MIG-059
  Scenario Outline: [2] On mtty MIG_DATA_SIZE is the exact stream length in <state>
    Given a migratable VFIO device driven by "mtty"
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the device has reached state <state>
    Then MIG_DATA_SIZE of the device is the length of the saved stream

    Examples:
      | state        |
      | STOP         |
      | RUNNING      |
      | STOP_COPY    |
      | RESUMING     |
      | RUNNING_P2P  |
      | PRE_COPY     |
      | PRE_COPY_P2P |

  @profile:pds_vfio_pci @C-MIG-086
  Scenario Outline: [3] On pds_vfio_pci MIG_DATA_SIZE is always 65536, in <state>
    Given a migratable VFIO device driven by "pds_vfio_pci"
    And the device has reached state <state>
    Then MIG_DATA_SIZE of the device is 65536

    Examples:
      | state       |
      | RUNNING     |
      | STOP        |
      | STOP_COPY   |
      | RUNNING_P2P |
