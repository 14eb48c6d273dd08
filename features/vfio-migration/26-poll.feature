@role:vfio-migration
Feature: 26 poll() on the data fds
  A VMM waits for migration data with poll(2). The uAPI promises one thing:
  once in STOP_COPY the saving fd polls readable, always, also at the end of
  the stream, where read() answers 0. During pre-copy a reader "can wait for
  more data (which may never come)"; what poll then answers is the driver's.
  A data fd whose driver has no poll method answers the VFS default mask,
  POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM, whatever the state (mtty, hisi_acc,
  pds, qat and virtio in Linux 6.12); mlx5_vfio_pci's saving fd has its own.
  The suite polls with a zero timeout: it never waits.
  Source: include/uapi/linux/vfio.h (enum vfio_device_mig_state, PRE_COPY),
  include/linux/poll.h (DEFAULT_POLLMASK), drivers/vfio/pci/mlx5/main.c
  mlx5vf_save_poll(), samples/vfio-mdev/mtty.c (Linux 6.12).

  @C-MIG-115
  Scenario: [1] Entering STOP_COPY from STOP, the saving fd polls readable before any read
    Given a migratable VFIO device
    And the device has reached state STOP_COPY
    When the data fd is polled for POLLIN
    Then the poll reports POLLIN

  @C-MIG-115 @C-MIG-021
  Scenario: [2] At the end of the STOP_COPY stream the saving fd still polls readable, every time
    Given a migratable VFIO device
    And the device has reached state STOP_COPY
    When 16 bytes are read from the data fd
    And the data fd is polled for POLLIN
    Then the poll reports POLLIN
    When the data fd is read to its end
    Then the data fd is at its end
    When the data fd is polled for POLLIN
    Then the poll reports POLLIN
    When the data fd is polled for POLLIN+POLLRDNORM
    Then the poll reports POLLIN

  @C-MIG-115
  Scenario: [3] From a drained PRE_COPY into STOP_COPY, the kept saving fd polls readable to its end
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state PRE_COPY
    And the data fd is read until the pre-copy info reports no data
    When the device is set to STOP_COPY
    And the data fd is polled for POLLIN
    Then the poll reports POLLIN
    When the data fd is read to its end
    And the data fd is polled for POLLIN
    Then the poll reports POLLIN

  @profile:mtty @C-MIG-116
  Scenario Outline: [4] On mtty a <fd> in <state> polls the VFS default mask
    Given a migratable VFIO device driven by "mtty"
    And the device has reached state <state>
    When the data fd is polled for POLLIN+POLLPRI+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM
    When the data fd is read to its end
    And the data fd is polled for POLLIN+POLLPRI+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM

    Examples:
      | fd        | state     |
      | saving fd | PRE_COPY  |
      | saving fd | STOP_COPY |

  @profile:mtty @C-MIG-116
  Scenario: [5] On mtty the resuming fd polls the VFS default mask
    Given a migratable VFIO device driven by "mtty"
    And the device has reached state RESUMING
    When the data fd is polled for POLLIN+POLLPRI+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM

  @profile:mlx5_vfio_pci @C-MIG-117
  Scenario Outline: [6] On mlx5_vfio_pci the saving fd in <state> is readable while pre-copy data is queued, not at a temporary end
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And the device has reached state <state>
    When the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLRDNORM
    When the data fd is read until the pre-copy info reports no data
    And the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly nothing

    Examples:
      | state        |
      | PRE_COPY     |
      | PRE_COPY_P2P |

  @profile:mlx5_vfio_pci @C-MIG-117
  Scenario: [7] On mlx5_vfio_pci the STOP_COPY saving fd polls POLLIN+POLLRDNORM to its end, and the resuming fd the VFS default
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And the device has reached state STOP_COPY
    When the data fd is read to its end
    And the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLRDNORM
    Given the device has reached state RESUMING
    When the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM

  @profile:mlx5_vfio_pci @C-MIG-117
  Scenario Outline: [8] On mlx5_vfio_pci a saving fd ended by <how> polls POLLIN+POLLRDNORM+POLLRDHUP
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And the device has reached state STOP_COPY
    When <how>
    And the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLRDNORM+POLLRDHUP

    Examples:
      | how                       |
      | the device is set to STOP |
      | the device is reset       |

  @profile:refmig @C-MIG-118
  Scenario Outline: [9] On refmig the saving fd in <state> is readable while pre-copy data is queued, not at a temporary end
    Given a migratable VFIO device driven by "refmig"
    And the device has reached state <state>
    When the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLRDNORM
    When the data fd is read until the pre-copy info reports no data
    And the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly nothing

    Examples:
      | state        |
      | PRE_COPY     |
      | PRE_COPY_P2P |

  @profile:refmig @C-MIG-118
  Scenario: [10] On refmig the STOP_COPY saving fd polls POLLIN+POLLRDNORM to its end, and the resuming fd the VFS default
    Given a migratable VFIO device driven by "refmig"
    And the device has reached state STOP_COPY
    When the data fd is read to its end
    And the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLRDNORM
    Given the device has reached state RESUMING
    When the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM

  @profile:refmig @C-MIG-118
  Scenario Outline: [11] On refmig a saving fd ended by <how> polls POLLIN+POLLRDNORM+POLLRDHUP
    Given a migratable VFIO device driven by "refmig"
    And the device has reached state STOP_COPY
    When <how>
    And the data fd is polled for POLLIN+POLLOUT+POLLRDNORM+POLLWRNORM+POLLRDHUP
    Then the poll reports exactly POLLIN+POLLRDNORM+POLLRDHUP

    Examples:
      | how                       |
      | the device is set to STOP |
      | the device is reset       |
