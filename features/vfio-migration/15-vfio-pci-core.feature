@role:vfio-migration
Feature: 15 What every vfio-pci-core driver inherits: region info and low power
  vfio-pci and every variant driver built on vfio-pci-core (mlx5_vfio_pci,
  hisi_acc, pds, virtio_vfio_pci, ...) answer VFIO_DEVICE_GET_REGION_INFO
  (struct vfio_region_info: argsz, flags, index, cap_offset, size u64,
  offset u64) for the fixed PCI indexes from the PCI device itself: BAR0-5
  are 0-5, the ROM 6, config space 7, VGA 8; region N lives at offset N << 40
  of the device fd. Flags: READ 0x1, WRITE 0x2, MMAP 0x4. The low-power
  features (VFIO_DEVICE_FEATURE 3, 4 and 5) are vfio-pci-core's own: ENTRY
  asks for runtime low power until EXIT or the last close, ENTRY_WITH_WAKEUP
  also names an eventfd for a wake-up. A variant driver may override either,
  so these are profile clauses of vfio-pci, checked in the lab on QEMU's edu
  device (conventional PCI, one 1 MB memory BAR) behind its emulated VT-d.
  Source: drivers/vfio/pci/vfio_pci_core.c vfio_pci_ioctl_get_region_info(),
  vfio_pci_probe_mmaps(), vfio_pci_core_ioctl_feature() and the
  vfio_pci_core_pm_*() functions, include/uapi/linux/vfio.h (Linux 6.12).

  @profile:vfio-pci @C-MIG-130
  Scenario: [1] The config region is readable and writable and as large as config space
    Given a VFIO device driven by "vfio-pci"
    Then the config region of the device is readable and writable and as large as its config space

  @profile:vfio-pci @C-MIG-131
  Scenario: [2] Each BAR region agrees with its BAR register
    Given a VFIO device driven by "vfio-pci"
    Then each BAR region of the device agrees with its BAR register

  @profile:vfio-pci @C-MIG-132
  Scenario: [3] The VGA region of a device that is no display controller is refused with EINVAL
    Given a VFIO device driven by "vfio-pci"
    And the device is not a display controller
    When the info of region 8 is asked of the device
    Then the call fails with EINVAL

  @profile:vfio-pci @C-MIG-131 @C-MIG-132
  Scenario: [4] After a close and a new open the BAR regions still agree with their registers and VGA is still refused
    Given a VFIO device driven by "vfio-pci"
    And the device is not a display controller
    When the device is closed and opened again
    Then each BAR region of the device agrees with its BAR register
    When the info of region 8 is asked of the device
    Then the call fails with EINVAL

  @profile:vfio-pci @C-MIG-132
  Scenario: [5] A region index past the last one GET_INFO counts is refused with EINVAL
    Given a VFIO device driven by "vfio-pci"
    When the info of the region past the last is asked of the device
    Then the call fails with EINVAL

  @profile:vfio-pci @C-MIG-133
  Scenario: [6] LOW_POWER_ENTRY once succeeds, a second entry fails with EINVAL, and EXIT ends it
    Given a VFIO device driven by "vfio-pci"
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call succeeds
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call fails with EINVAL
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_EXIT" is issued on the device with argsz 8
    Then the call succeeds
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_EXIT" is issued on the device with argsz 8
    Then the call succeeds
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call succeeds

  @profile:vfio-pci @C-MIG-133
  Scenario: [7] The last close leaves low power: after a reopen LOW_POWER_ENTRY succeeds again
    Given a VFIO device driven by "vfio-pci"
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call succeeds
    When the device is closed and opened again
    And VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call succeeds

  @profile:vfio-pci @C-MIG-133
  Scenario: [8] The rule holds on the second round too: entry, exit, entry, and a second entry fails with EINVAL
    Given a VFIO device driven by "vfio-pci"
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    And VFIO_DEVICE_FEATURE "SET+LOW_POWER_EXIT" is issued on the device with argsz 8
    And VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call succeeds
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call fails with EINVAL

  @profile:vfio-pci @C-MIG-133
  Scenario: [9] Each last close leaves low power: two reopens in low power, and entry succeeds after each
    Given a VFIO device driven by "vfio-pci"
    When VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    And the device is closed and opened again
    And VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call succeeds
    When the device is closed and opened again
    And VFIO_DEVICE_FEATURE "SET+LOW_POWER_ENTRY" is issued on the device with argsz 8
    Then the call succeeds

  @profile:vfio-pci @C-MIG-133 @C-MIG-134
  Scenario Outline: [10] <flags> with argsz <argsz> succeeds without changing anything
    Given a VFIO device driven by "vfio-pci"
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz <argsz>
    Then the call succeeds

    Examples:
      | flags                                   | argsz |
      | PROBE+SET+LOW_POWER_ENTRY               | 8     |
      | PROBE+LOW_POWER_EXIT                    | 8     |
      | PROBE+SET+LOW_POWER_ENTRY_WITH_WAKEUP   | 8     |

  @profile:vfio-pci @C-MIG-133 @C-MIG-134
  Scenario Outline: [11] <flags> with argsz <argsz> fails with EINVAL (<why>)
    Given a VFIO device driven by "vfio-pci"
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz <argsz>
    Then the call fails with EINVAL

    Examples:
      | flags                                   | argsz | why                                  |
      | GET+LOW_POWER_ENTRY                     | 8     | GET is not offered                   |
      | PROBE+GET+LOW_POWER_EXIT                | 8     | PROBE asks for GET, not offered      |
      | SET+LOW_POWER_ENTRY_WITH_WAKEUP         | 11    | the 4-byte payload one byte short    |
      | SET+LOW_POWER_ENTRY_WITH_WAKEUP         | 12    | wakeup_eventfd 0xa5a5a5a5 < 0        |
