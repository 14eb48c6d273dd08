@role:virtio-owner
Feature: 05 Legacy driver notifications through notify addresses
  LEGACY_NOTIFY_INFO tells the owner's driver where a member's driver
  notifications can be written directly: four 16-byte entries of flags, BAR
  and offset, ending at the first entry with flags 0. A 16-bit queue index
  written little-endian to such an address acts like a LEGACY_COMMON_CFG_WRITE
  of Queue Notify. An owner offering NOTIFY_INFO hardwires VF BAR0 to zero.
  Source: virtio specification, "Legacy Interfaces", "Legacy Driver
  Notifications" (admin-cmds-legacy-interface.tex); Linux include/uapi/linux/virtio_pci.h.
  Applies to an implementation declaring a device with the virtio-owner role.

  @C-VLEG-024
  Scenario: [1] LEGACY_NOTIFY_INFO takes no data and answers four 16-byte entries
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver asks for the legacy notify addresses of member 1
    Then the command succeeds
    And the used length is 72
    And every notify entry has 6 zero padding bytes
      | byte in entry | size | field   |
      | 0             | 1    | flags   |
      | 1             | 1    | bar     |
      | 2             | 6    | padding |
      | 8             | 8    | offset  |

  @C-VLEG-025
  Scenario: [2] Entries carry flags 1 or 2 up to the end entry, and the fourth entry is always an end entry
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver asks for the legacy notify addresses of member 1
    Then every notify entry before the first one with flags 0 has flags 1 (owner BAR) or 2 (member BAR)
    And notify entry 3 has flags 0

  @C-VLEG-026
  Scenario: [3] Every valid entry names an implemented BAR1 to BAR5 and an even offset inside it
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver asks for the legacy notify addresses of member 1
    Then every valid notify entry names a BAR from 1 to 5 that its function implements, at an even offset inside it

  @C-VLEG-028
  Scenario: [4] An owner that offers LEGACY_NOTIFY_INFO hardwires VF BAR0 to zero
    Given an SR-IOV virtio owner
    When the driver queries the supported commands
    Then the result is an opcode bitmap with 0x6 set
    And the owner's SR-IOV VF BAR0 is not implemented
    And BAR0 of the owner's first VF is not implemented

  @C-VLEG-027 @C-VLEG-041
  Scenario Outline: [5] A queue index written to the <where> notify address acts as a Queue Notify
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    And the driver writes to the legacy common configuration of member 1
      | offset | bytes       | register                           |
      | 18     | 03          | device status: ACKNOWLEDGE, DRIVER |
      | 14     | 00 00       | queue select: queue 0              |
      | 8      | 00 01 00 00 | queue PFN: a ring at 0x100000      |
      | 18     | 07          | device status: DRIVER_OK           |
    When the driver writes queue index 0 to the <where> notify address of member 1
    Then the call succeeds
    And the legacy common configuration of member 1 at offset 19 reads 0x01

    Examples:
      | where  |
      | member |
      | owner  |

  @C-VLEG-027
  Scenario: [6] The same notification through LEGACY_COMMON_CFG_WRITE at Queue Notify
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    And the driver writes to the legacy common configuration of member 1
      | offset | bytes       | register                           |
      | 18     | 03          | device status: ACKNOWLEDGE, DRIVER |
      | 14     | 00 00       | queue select: queue 0              |
      | 8      | 00 01 00 00 | queue PFN: a ring at 0x100000      |
      | 18     | 07          | device status: DRIVER_OK           |
    When the driver writes 0x0000 to the legacy common configuration of member 1 at offset 16
    Then the command succeeds
    And the legacy common configuration of member 1 at offset 19 reads 0x01
