@role:vfio-migration
Feature: 15 poll() on the data fd
  A user may wait for migration data with poll(2). In STOP_COPY the saving fd
  has a permanent end: read() returns 0 and poll always reports it readable.
  In pre-copy a user may wait at the temporary end for more data, which may
  never come. A file without a poll operation answers the VFS default
  (readable and writable); mlx5's save fd reports what it holds. The suite
  polls with a zero timeout and names the revents bits.
  Source: include/uapi/linux/vfio.h (struct vfio_precopy_info), fs/select.c,
  drivers/vfio/pci/mlx5/main.c (Linux 6.12).

  @C-MIG-126 @C-MIG-021
  Scenario Outline: [1] In STOP_COPY on a device offering <flags> the saving fd polls readable, before and after its end
    Given a migratable VFIO device offering <flags>
    And the device has reached state STOP_COPY
    When the data fd is polled for POLLIN
    Then the poll reports POLLIN
    When the data fd is read to its end
    And the data fd is polled for POLLIN
    Then the poll reports POLLIN
    And the data fd is at its end

    Examples:
      | flags                  |
      | STOP_COPY              |
      | STOP_COPY+P2P+PRE_COPY |

  @C-MIG-126
  Scenario: [2] After pre-copy the saving fd polls readable at the end of STOP_COPY
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And the device has reached state PRE_COPY
    And the data fd is read until the pre-copy info reports no data
    When the device is set to STOP_COPY
    And the data fd is read to its end
    And the data fd is polled for POLLIN
    Then the poll reports POLLIN

  @profile:refmig @C-MIG-127
  Scenario: [3] refmig's saving fd polls what it holds: data, the temporary end, the end of STOP_COPY, ended
    Given a migratable VFIO device driven by "refmig"
    And the device has reached state PRE_COPY
    When the data fd is polled for POLLIN|POLLRDNORM|POLLRDHUP
    Then the poll reports exactly POLLIN|POLLRDNORM
    When the data fd is read until the pre-copy info reports no data
    And the data fd is polled for POLLIN|POLLRDNORM|POLLRDHUP
    Then the poll reports nothing
    When the device is set to STOP_COPY
    And the data fd is read to its end
    And the data fd is polled for POLLIN|POLLRDNORM|POLLRDHUP
    Then the poll reports exactly POLLIN|POLLRDNORM
    When the device is set to STOP
    And the data fd is polled for POLLIN|POLLRDNORM|POLLRDHUP
    Then the poll reports exactly POLLIN|POLLRDNORM|POLLRDHUP

  @profile:mlx5_vfio_pci @C-MIG-128
  Scenario: [4] On mlx5_vfio_pci the save fd polls what it holds: data, the temporary end, the end of STOP_COPY, disabled
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And the device has reached state PRE_COPY
    When the data fd is polled for POLLIN|POLLRDNORM|POLLRDHUP
    Then the poll reports exactly POLLIN|POLLRDNORM
    When the data fd is read until the pre-copy info reports no data
    And the data fd is polled for POLLIN|POLLRDNORM|POLLRDHUP
    Then the poll reports nothing
    When the device is set to STOP_COPY
    And the data fd is read to its end
    And the data fd is polled for POLLIN|POLLRDNORM|POLLRDHUP
    Then the poll reports exactly POLLIN|POLLRDNORM
    When the device is set to STOP
    And the data fd is polled for POLLIN|POLLRDNORM|POLLRDHUP
    Then the poll reports exactly POLLIN|POLLRDNORM|POLLRDHUP
