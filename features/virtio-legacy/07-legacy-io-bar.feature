@role:virtio-translator
Feature: 07 The emulated legacy I/O BAR0 of virtio-vfio-pci
  How virtio-vfio-pci turns the guest's BAR0 accesses into work for the owner.
  Nothing happens until the guest enables I/O decoding in the command
  register (a function reset disables it again). An access that ends past
  byte 32 fails with EINVAL, a zero-length one does nothing. A 2-byte access
  at 16 (Queue Notify) goes to the notify address from NOTIFY_INFO; any other
  width there fails with EINVAL. Everything else becomes a legacy admin
  command: below the device-config offset on the common header, from it on
  on the device config, where that offset is 24 while MSI-X is the VF's
  interrupt type on the host and 20 otherwise. Bytes pass unchanged; an admin
  failure comes back as a negative errno; every command names the VF by its
  VF index plus one.
  Sources: Linux drivers/vfio/pci/virtio/main.c (6.8-6.12) and legacy_io.c
  (6.13 and later), drivers/virtio/virtio_pci_admin_legacy_io.c and
  virtio_pci_modern.c; virtio specification, transport-pci.tex (legacy layout).
  Applies to an implementation declaring VFs with the virtio-translator role;
  the commands sent to the owner are checked where the implementation can show
  them (admin_trace).

  @C-VLEG-051
  Scenario: [1] BAR0 fails with EIO until the guest enables I/O decoding
    Given a VF shown to the guest as a transitional virtio-net device
    When the guest reads 1 byte of BAR0 at offset 18
    Then the call fails with EIO
    When the guest writes 0x00 to BAR0 at offset 18
    Then the call fails with EIO
    And the translator sent nothing to the owner
    When the guest writes 0x0100 to config space at offset 0x04
    And the guest reads 1 byte of BAR0 at offset 18
    Then the call succeeds

  @C-VLEG-062
  Scenario: [2] A function reset disables I/O decoding again but keeps BAR0's address
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest writes 0x40c00000 to config space at offset 0x10
    And the VF is reset
    Then the call succeeds
    When the guest reads 1 byte of BAR0 at offset 18
    Then the call fails with EIO
    And config space reads
      | offset | width | value      | register         |
      | 0x10   | 4     | 0x0000c041 | BAR0 is kept     |
    When the guest writes 0x0100 to config space at offset 0x04
    And the guest reads 1 byte of BAR0 at offset 18
    Then the call succeeds

  @C-VLEG-052
  Scenario Outline: [3] An access of <count> byte(s) at <offset> ends past byte 32 and fails with EINVAL
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest reads <count> bytes of BAR0 at offset <offset>
    Then the call fails with EINVAL
    When the guest writes <bytes> to BAR0 at offset <offset>
    Then the call fails with EINVAL
    And the translator sent nothing to the owner

    Examples:
      | offset | count | bytes              |
      | 31     | 2     | 0x0000             |
      | 32     | 1     | 0x00               |
      | 28     | 8     | 0x0000000000000000 |

  @C-VLEG-053
  Scenario: [4] A zero-length access returns nothing and sends nothing
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest reads 0 bytes of BAR0 at offset 0
    Then the call succeeds
    And the data read is 0x
    And the translator sent nothing to the owner

  @C-VLEG-054 @C-VLEG-027 @C-VLEG-041
  Scenario: [5] A 2-byte write at Queue Notify goes to the notify address, not through an admin command
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    And the guest writes to BAR0
      | offset | bytes       | register                           |
      | 18     | 03          | device status: ACKNOWLEDGE, DRIVER |
      | 14     | 00 00       | queue select: queue 0              |
      | 8      | 00 01 00 00 | queue PFN: a ring at 0x100000      |
      | 18     | 07          | device status: DRIVER_OK           |
    When the guest writes 0x0000 to BAR0 at offset 16
    Then the call succeeds
    And the translator sent
      | command      | offset | data  | read width |
      | notify write |        | 00 00 |            |
    And the notify access went to the first member entry of the NOTIFY_INFO result
    When the guest reads 1 byte of BAR0 at offset 19
    Then the data read is 0x01
    When the guest reads 1 byte of BAR0 at offset 19
    Then the data read is 0x00

  @C-VLEG-055
  Scenario Outline: [6] A <count>-byte access at Queue Notify fails with EINVAL
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest writes <bytes> to BAR0 at offset 16
    Then the call fails with EINVAL
    When the guest reads <count> bytes of BAR0 at offset 16
    Then the call fails with EINVAL
    And the translator sent nothing to the owner

    Examples:
      | count | bytes      |
      | 1     | 0x00       |
      | 4     | 0x00000000 |

  @C-VLEG-056 @C-VLEG-057 @C-VLEG-039
  Scenario Outline: [7] Without MSI-X, a <count>-byte read at <offset> becomes <command> at <admin_offset>
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest reads <count> bytes of BAR0 at offset <offset>
    Then the call succeeds
    And the translator sent
      | command   | offset         | data | read width |
      | <command> | <admin_offset> |      | <count>    |

    Examples:
      | offset | count | command                | admin_offset | register                    |
      | 0      | 4     | LEGACY_COMMON_CFG_READ | 0            | host features               |
      | 14     | 2     | LEGACY_COMMON_CFG_READ | 14           | queue select                |
      | 18     | 1     | LEGACY_COMMON_CFG_READ | 18           | device status               |
      | 20     | 6     | LEGACY_DEV_CFG_READ    | 0            | mac                         |
      | 26     | 2     | LEGACY_DEV_CFG_READ    | 6            | status                      |
      | 28     | 2     | LEGACY_DEV_CFG_READ    | 8            | max_virtqueue_pairs         |

  @C-VLEG-057 @C-VLEG-058 @C-VLEG-039 @C-VLEG-020
  Scenario Outline: [8] With MSI-X enabled on the host, a <count>-byte access at <offset> becomes <command> at <admin_offset>
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    And MSI-X is enabled for the VF on the host
    When the guest reads <count> bytes of BAR0 at offset <offset>
    Then the call succeeds
    And the translator sent
      | command   | offset         | data | read width |
      | <command> | <admin_offset> |      | <count>    |

    Examples:
      | offset | count | command                | admin_offset | register                    |
      | 20     | 2     | LEGACY_COMMON_CFG_READ | 20           | MSI-X config vector         |
      | 22     | 2     | LEGACY_COMMON_CFG_READ | 22           | MSI-X queue vector          |
      | 24     | 6     | LEGACY_DEV_CFG_READ    | 0            | mac                         |
      | 30     | 2     | LEGACY_DEV_CFG_READ    | 6            | status                      |

  @C-VLEG-058
  Scenario: [9] The device-config offset follows the VF's host interrupt type at the time of each access
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When MSI-X is enabled for the VF on the host
    And the guest reads 2 bytes of BAR0 at offset 24
    Then the translator sent
      | command             | offset | data | read width |
      | LEGACY_DEV_CFG_READ | 0      |      | 2          |
    When MSI-X is disabled for the VF on the host
    And the guest reads 2 bytes of BAR0 at offset 24
    Then the translator sent
      | command             | offset | data | read width |
      | LEGACY_DEV_CFG_READ | 4      |      | 2          |

  @C-VLEG-059 @C-VLEG-068 @C-VLEG-056
  Scenario: [10] Bytes pass unchanged in both directions
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest writes 0x78563412 to BAR0 at offset 8
    Then the call succeeds
    And the translator sent
      | command                 | offset | data        | read width |
      | LEGACY_COMMON_CFG_WRITE | 8      | 78 56 34 12 |            |
    When the guest reads 4 bytes of BAR0 at offset 8
    Then the data read is 0x78563412
    And the data read are the bytes of the owner's LEGACY_COMMON_CFG_READ result, in the same order

  @profile:virtio_pci @C-VLEG-060 @C-VLEG-036
  Scenario: [11] A command the owner refuses comes back as a negative errno: status 22 is EINVAL
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest reads 4 bytes of BAR0 at offset 14
    Then the call fails with EINVAL
    And the translator sent
      | command                | offset | data | read width |
      | LEGACY_COMMON_CFG_READ | 14     |      | 4          |
    And the owner answered that command with status 22

  @profile:virtio_pci @C-VLEG-035
  Scenario: [12] Every command names the VF by its VF index plus one
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest reads 1 byte of BAR0 at offset 18
    # group_member_id = (VF routing id - PF routing id - First VF Offset) / VF Stride + 1,
    # with the offset and stride from the PF's sriov_offset and sriov_stride.
    Then every command sent for the VF named its member id, its VF index plus one

  @C-VLEG-052 @C-VLEG-057
  Scenario Outline: [13] An access of <count> byte(s) at <offset> ends at byte 32 and is executed
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    And MSI-X is enabled for the VF on the host
    When the guest reads <count> bytes of BAR0 at offset <offset>
    Then the call succeeds
    And the translator sent
      | command             | offset         | data | read width |
      | LEGACY_DEV_CFG_READ | <admin_offset> |      | <count>    |

    Examples:
      | offset | count | admin_offset |
      | 30     | 2     | 6            |
      | 31     | 1     | 7            |

  @C-VLEG-042 @C-VLEG-056
  Scenario: [14] Writing 0 to the device status through BAR0 resets the member
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    And the guest writes to BAR0
      | offset | bytes       | register                           |
      | 18     | 03          | device status: ACKNOWLEDGE, DRIVER |
      | 4      | 20 00 00 00 | guest features: bit 5 (MAC)        |
      | 14     | 01 00       | queue select: queue 1              |
    When the guest writes 0x00 to BAR0 at offset 18
    Then the call succeeds
    When the guest reads 4 bytes of BAR0 at offset 4
    Then the data read is 0x00000000
    When the guest reads 2 bytes of BAR0 at offset 14
    Then the data read is 0x0000
    When the guest reads 1 byte of BAR0 at offset 18
    Then the data read is 0x00

  # MSI is optional for a VF: these need one whose GET_IRQ_INFO counts an MSI vector.
  @C-VLEG-073 @C-VLEG-057 @C-VLEG-039
  Scenario Outline: [15] With MSI, not MSI-X, on the host, a 2-byte read at <offset> becomes <command> at <admin_offset>
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    And MSI is enabled for the VF on the host
    When the guest reads 2 bytes of BAR0 at offset <offset>
    Then the call succeeds
    And the translator sent
      | command   | offset         | data | read width |
      | <command> | <admin_offset> |      | 2          |

    Examples:
      | offset | command             | admin_offset | register            |
      | 20     | LEGACY_DEV_CFG_READ | 0            | mac                 |
      | 24     | LEGACY_DEV_CFG_READ | 4            | mac                 |
      | 26     | LEGACY_DEV_CFG_READ | 6            | status              |
      | 28     | LEGACY_DEV_CFG_READ | 8            | max_virtqueue_pairs |

  @C-VLEG-074 @C-VLEG-073 @C-VLEG-058
  Scenario Outline: [16] While <first> is active <second> is refused with EINVAL and the device config stays where <first> puts it
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    And <first> is enabled for the VF on the host
    When the host tries to enable <second> for the VF
    Then the call fails with EINVAL
    When the guest reads 2 bytes of BAR0 at offset 24
    Then the translator sent
      | command             | offset  | data | read width |
      | LEGACY_DEV_CFG_READ | <while> |      | 2          |
    When <first> is disabled for the VF on the host
    And the host tries to enable <second> for the VF
    Then the call succeeds
    When the guest reads 2 bytes of BAR0 at offset 24
    Then the translator sent
      | command             | offset  | data | read width |
      | LEGACY_DEV_CFG_READ | <after> |      | 2          |

    Examples:
      | first | second | while | after |
      | MSI   | MSI-X  | 4     | 0     |
      | MSI-X | MSI    | 0     | 4     |
