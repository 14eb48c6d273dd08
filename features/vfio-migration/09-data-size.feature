@role:vfio-migration
Feature: 09 MIG_DATA_SIZE
  GET of VFIO_DEVICE_FEATURE_MIG_DATA_SIZE (feature 9, payload u64
  stop_copy_length) answers in every migration state with the driver's
  estimate of the STOP_COPY stream length. mtty gives the exact length.
  Source: include/uapi/linux/vfio.h, samples/vfio-mdev/mtty.c (Linux 6.12).

  @C-MIG-058
  Scenario Outline: [1] MIG_DATA_SIZE answers in <state> with the same estimate
    Given a migratable VFIO device offering STOP_COPY+P2P+PRE_COPY
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
