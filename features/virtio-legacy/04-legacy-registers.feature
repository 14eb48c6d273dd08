@role:virtio-owner
Feature: 04 Legacy register access through the owner
  The legacy commands read and write a member's legacy interface: the common
  header (offsets counted from its byte 0) and the device-specific config
  (offsets counted from its own byte 0, whatever the MSI-X state). The write
  width is the readable part minus 32 bytes, the read width the writable part
  minus 8. An access must stay inside one field of its region; data travels
  little-endian; the effect is that of the same access through a legacy I/O
  BAR: ISR clears when read, writing 0 to the device status resets the member,
  and only feature bits 0 to 31 are reachable.
  Sources: virtio specification, "Legacy Interfaces" (admin-cmds-legacy-interface.tex),
  "Legacy Interfaces: A Note on PCI Device Layout" (transport-pci.tex), virtio-net
  device configuration (device-types/net); Linux include/uapi/linux/virtio_pci.h
  and virtio_net.h.
  Applies to an implementation declaring a device with the virtio-owner role.

  @C-VLEG-038 @C-VLEG-020
  Scenario: [1] The common header has its fields at the legacy offsets, each readable at its width
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    Then the legacy common configuration of member 1 reads
      | offset | width | value      | register                   |
      | 0      | 4     | any        | host features, bits 0-31   |
      | 4      | 4     | 0x00000000 | guest features, bits 0-31  |
      | 8      | 4     | 0x00000000 | queue PFN of queue 0       |
      | 12     | 2     | any        | queue size of queue 0      |
      | 14     | 2     | 0x0000     | queue select               |
      | 16     | 2     | any        | queue notify               |
      | 18     | 1     | 0x00       | device status              |
      | 19     | 1     | 0x00       | ISR status                 |

  @C-VLEG-021 @C-VLEG-039
  Scenario Outline: [2] A <region> access of <width> byte(s) at <offset> fails: <why>
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver reads <width> bytes of the legacy <region> configuration of member 1 at offset <offset>
    Then the command fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD)

    Examples:
      | region | width | offset | why                                                          |
      | common | 8     | 0      | host and guest features are two fields                       |
      | common | 2     | 3      | it spans host and guest features                             |
      | common | 4     | 12     | it spans queue size and queue select                         |
      | common | 2     | 18     | it spans device status and ISR                               |
      | common | 2     | 20     | without MSI-X the common header ends at 20                   |
      | common | 0     | 18     | a read of no byte names no field                             |
      | device | 8     | 0      | it spans mac and status                                      |
      | device | 2     | 5      | it spans the last mac byte and status                        |
      | device | 2     | 255    | it leaves the device config                                  |

  @C-VLEG-021 @C-VLEG-018
  Scenario: [3] Part of one field is a valid access
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver writes 0x0200 to the legacy common configuration of member 1 at offset 14
    And the driver reads 1 byte of the legacy common configuration of member 1 at offset 15
    Then the command succeeds
    And the result is 0x00
    When the driver reads 2 bytes of the legacy common configuration of member 1 at offset 2
    Then the command succeeds
    And the result is the upper half of reading 4 bytes of the legacy common configuration of member 1 at offset 0

  @C-VLEG-022 @C-VLEG-040
  Scenario: [4] Data is little-endian: 01 00 selects queue 1, 00 01 selects queue 256
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    And the driver writes to the legacy common configuration of member 1
      | offset | bytes       | register                                           |
      | 14     | 01 00       | queue select: queue 1                              |
      | 8      | 78 56 34 12 | queue PFN 0x12345678: a ring at 0x12345678000      |
    Then the legacy common configuration of member 1 reads
      | offset | width | value      | register                          |
      | 8      | 4     | 0x12345678 | queue PFN of queue 1              |
      | 12     | 2     | not 0      | queue 1 exists                    |
    When the driver writes 0x0001 to the legacy common configuration of member 1 at offset 14
    Then the legacy common configuration of member 1 reads
      | offset | width | value      | register                          |
      | 12     | 2     | 0x0000     | queue 256 does not exist          |
      | 8      | 4     | 0x00000000 | queue PFN of queue 256            |

  @C-VLEG-020 @C-VLEG-044
  Scenario: [5] The virtio-net config has mac at 0, status at 6 and max_virtqueue_pairs at 8
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    Then the legacy device configuration of member 1 reads
      | offset | width | value | field               |
      | 0      | 6     | any   | mac                 |
      | 6      | 2     | any   | status              |
      | 8      | 2     | any   | max_virtqueue_pairs |
    When the driver writes 0x02aabbccddee to the legacy device configuration of member 1 at offset 0
    Then the command succeeds
    And the legacy device configuration of member 1 at offset 0 reads 0x02aabbccddee

  @C-VLEG-041
  Scenario: [6] Reading ISR returns the pending queue interrupt and clears it
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    And the driver writes to the legacy common configuration of member 1
      | offset | bytes       | register                              |
      | 18     | 03          | device status: ACKNOWLEDGE, DRIVER    |
      | 14     | 00 00       | queue select: queue 0                 |
      | 8      | 00 01 00 00 | queue PFN: a ring at 0x100000         |
      | 18     | 07          | device status: DRIVER_OK              |
      | 16     | 00 00       | queue notify: queue 0                 |
    When the driver reads 1 byte of the legacy common configuration of member 1 at offset 19
    Then the command succeeds
    And the result is 0x01
    When the driver reads 1 byte of the legacy common configuration of member 1 at offset 19
    Then the result is 0x00

  @C-VLEG-042
  Scenario: [7] Writing 0 to the device status resets the member
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    And the driver writes to the legacy common configuration of member 1
      | offset | bytes       | register                           |
      | 18     | 03          | device status: ACKNOWLEDGE, DRIVER |
      | 4      | 20 00 00 00 | guest features: bit 5 (MAC)        |
      | 14     | 01 00       | queue select: queue 1              |
      | 8      | 00 02 00 00 | queue PFN                          |
    When the driver writes 0x00 to the legacy common configuration of member 1 at offset 18
    Then the command succeeds
    And the legacy common configuration of member 1 reads
      | offset | width | value      | register        |
      | 18     | 1     | 0x00       | device status   |
      | 4      | 4     | 0x00000000 | guest features  |
      | 14     | 2     | 0x0000     | queue select    |
      | 8      | 4     | 0x00000000 | queue PFN of queue 0 |
    And the driver writes to the legacy common configuration of member 1
      | offset | bytes | register              |
      | 14     | 01 00 | queue select: queue 1 |
    And the legacy common configuration of member 1 reads
      | offset | width | value      | register             |
      | 8      | 4     | 0x00000000 | queue PFN of queue 1 |

  @C-VLEG-043
  Scenario: [8] Only feature bits 0 to 31 are reachable, and the guest can accept only offered ones
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver reads 8 bytes of the legacy common configuration of member 1 at offset 0
    Then the command fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD)
    When the driver writes 0xffffffff to the legacy common configuration of member 1 at offset 4
    Then the command succeeds
    And the guest features of member 1 are a subset of its host features

  @C-VLEG-038 @C-VLEG-006
  Scenario Outline: [9] Each member has its own registers: a write to member <written> leaves member <other> as it was
    Given an SR-IOV virtio owner with at least 2 VFs enabled
    And the driver has put the commands 0x0-0x6 in use
    And the driver writes to the legacy common configuration of member <written>
      | offset | bytes       | register              |
      | 14     | 01 00       | queue select: queue 1 |
      | 4      | 20 00 00 00 | guest features: bit 5 |
    Then the legacy common configuration of member <other> reads
      | offset | width | value      | register       |
      | 14     | 2     | 0x0000     | queue select   |
      | 4      | 4     | 0x00000000 | guest features |
    And the legacy common configuration of member <written> at offset 14 reads 0x0100

    Examples:
      | written | other  |
      | 1       | NumVFs |
      | NumVFs  | 1      |
