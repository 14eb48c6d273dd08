@role:vfio-migration
Feature: 12 VFIO_DEVICE_GET_INFO and VFIO_DEVICE_RESET
  VFIO_DEVICE_GET_INFO (ioctl 0x3B6B) fills struct vfio_device_info: argsz
  u32, flags u32, num_regions u32, num_irqs u32, then cap_offset u32 and
  padding. Drivers read and check the first 16 bytes, so an argsz below 16 is
  EINVAL. A PCI device sets VFIO_DEVICE_FLAGS_PCI (bit 1) and describes at
  least the fixed region indexes (BAR0-5, ROM, config, VGA: 9) and interrupt
  indexes (INTx, MSI, MSI-X, ERR, REQ: 5). VFIO_DEVICE_FLAGS_RESET (bit 0)
  says the device supports VFIO_DEVICE_RESET; what a device that leaves it
  out answers is its driver's choice: vfio-pci refuses with EINVAL, the
  samples never set the flag and reset anyway.
  Source: include/uapi/linux/vfio.h, drivers/vfio/pci/vfio_pci_core.c,
  samples/vfio-mdev/mtty.c (Linux 6.12).

  @C-MIG-090
  Scenario Outline: [1] GET_INFO with argsz <argsz> describes a migratable PCI device
    Given a migratable VFIO device
    When VFIO_DEVICE_GET_INFO is issued on the device with argsz <argsz>
    Then the call succeeds
    And the device info reports a PCI device with at least 9 regions and 5 interrupt indexes

    Examples:
      | argsz |
      | 16    |
      | 17    |
      | 24    |
      | 4096  |

  @C-MIG-090
  Scenario Outline: [2] GET_INFO with argsz <argsz>, short of num_irqs, fails with EINVAL
    Given a migratable VFIO device
    When VFIO_DEVICE_GET_INFO is issued on the device with argsz <argsz>
    Then the call fails with EINVAL

    Examples:
      | argsz |
      | 0     |
      | 8     |
      | 15    |

  @C-MIG-090
  Scenario: [3] GET_INFO describes a PCI device without migration support too
    Given a VFIO device without migration support
    When VFIO_DEVICE_GET_INFO is issued on the device with argsz 24
    Then the call succeeds
    And the device info reports a PCI device with at least 9 regions and 5 interrupt indexes

  @C-MIG-091
  Scenario: [4] A migratable device that reports VFIO_DEVICE_FLAGS_RESET can be reset, from RUNNING and from STOP
    Given a migratable VFIO device
    And the device reports VFIO_DEVICE_FLAGS_RESET
    When the device is reset
    Then the call succeeds
    Given the device has reached state STOP
    When the device is reset
    Then the call succeeds
    And the device is in state RUNNING

  @C-MIG-091
  Scenario: [5] A device without migration support that reports VFIO_DEVICE_FLAGS_RESET can be reset
    Given a VFIO device without migration support
    And the device reports VFIO_DEVICE_FLAGS_RESET
    When the device is reset
    Then the call succeeds

  @profile:vfio-pci @C-MIG-092
  Scenario: [6] On vfio-pci a device that does not report VFIO_DEVICE_FLAGS_RESET refuses VFIO_DEVICE_RESET with EINVAL
    Given a VFIO device driven by "vfio-pci"
    And the device does not report VFIO_DEVICE_FLAGS_RESET
    When the device is reset
    Then the call fails with EINVAL

  @profile:mtty @C-MIG-093
  Scenario: [7] On mtty GET_INFO leaves VFIO_DEVICE_FLAGS_RESET out, and VFIO_DEVICE_RESET succeeds
    Given a migratable VFIO device driven by "mtty"
    And the device does not report VFIO_DEVICE_FLAGS_RESET
    When the device is reset
    Then the call succeeds
