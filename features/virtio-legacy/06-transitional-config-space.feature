@role:virtio-translator
Feature: 06 The transitional device virtio-vfio-pci shows the guest
  virtio-vfio-pci shows a virtio-net VF as a transitional device when the VF
  has no BAR0 and its PF's owner driver put every legacy command (opcodes 2
  to 6) in use: device id 0x1000, revision 0, subsystem ids 0x1af4 and 0x0001,
  and a 32-byte I/O BAR0 that answers the sizing probe. Reads that overlap
  these registers only partly are overridden byte by byte. The region info of
  BAR0 offers read and write only. Otherwise the VF is a plain vfio-pci device,
  and a VF whose owner reports no member notify address gets no VFIO device.
  Sources: Linux drivers/vfio/pci/virtio/main.c (6.8-6.12) and legacy_io.c
  (6.13 and later), drivers/virtio/virtio_pci_admin_legacy_io.c,
  include/uapi/linux/virtio_pci.h and virtio_ids.h.
  Applies to an implementation declaring VFs with the virtio-translator role.

  @C-VLEG-045 @C-VLEG-048
  Scenario: [1] Config space shows a transitional virtio-net device
    Given a VF shown to the guest as a transitional virtio-net device
    Then config space reads
      | offset | width | value  | register            |
      | 0x00   | 2     | 0x1af4 | vendor id, unchanged |
      | 0x02   | 2     | 0x1000 | device id           |
      | 0x08   | 1     | 0x00   | revision id         |
      | 0x2c   | 2     | 0x1af4 | subsystem vendor id |
      | 0x2e   | 2     | 0x0001 | subsystem id: net   |

  @C-VLEG-048
  Scenario: [2] Reads that overlap the overridden registers only partly see the overrides
    Given a VF shown to the guest as a transitional virtio-net device
    Then config space reads
      | offset | width | value      | register                                   |
      | 0x00   | 4     | 0x10001af4 | vendor and device id together              |
      | 0x03   | 1     | 0x10       | upper byte of the device id                |
      | 0x01   | 2     | 0x001a     | upper vendor byte, lower device id byte    |
      | 0x08   | 4     | any        | revision and class: only the low byte is 0 |
      | 0x2c   | 4     | 0x00011af4 | subsystem vendor and subsystem id          |
      | 0x2d   | 2     | 0x011a     | across the two subsystem registers         |
    And the byte at config offset 0x08 is 0x00

  @C-VLEG-049 @C-VLEG-047
  Scenario: [3] BAR0 is a 32-byte I/O BAR to the sizing probe
    Given a VF shown to the guest as a transitional virtio-net device
    Then config space reads
      | offset | width | value      | register                   |
      | 0x10   | 4     | 0x00000001 | BAR0: I/O, not yet placed  |
    When the guest writes 0xffffffff to config space at offset 0x10
    Then config space reads
      | offset | width | value      | register                           |
      | 0x10   | 4     | 0xffffffe1 | BAR0 after all ones: 32 bytes, I/O |
    When the guest writes 0x40c00000 to config space at offset 0x10
    Then config space reads
      | offset | width | value      | register                 |
      | 0x10   | 4     | 0x0000c041 | BAR0 placed at I/O 0xc040 |
      | 0x11   | 1     | 0xc0       | its second byte alone     |

  @C-VLEG-050
  Scenario: [4] The command register shows I/O decoding enabled exactly while the guest has it enabled
    Given a VF shown to the guest as a transitional virtio-net device
    When the guest writes 0x0100 to config space at offset 0x04
    Then bit 0x1 of the 2-byte config register at 0x04 is set
    When the guest writes 0x0000 to config space at offset 0x04
    Then bit 0x1 of the 2-byte config register at 0x04 is clear

  @C-VLEG-061 @C-VLEG-047
  Scenario: [5] Region info of BAR0 offers 32 bytes to read and write, without mmap, in every MSI-X state
    Given a VF shown to the guest as a transitional virtio-net device
    Then region 0 of the VF has offset 0, size 32 and flags 0x3
    When MSI-X is enabled for the VF on the host
    Then region 0 of the VF has offset 0, size 32 and flags 0x3

  @profile:virtio_pci @C-VLEG-063 @C-VLEG-045 @C-VLEG-034
  Scenario: [6] A VF whose owner driver did not put every legacy command in use is a plain vfio-pci device
    Given a VF whose owner driver did not put every legacy command in use
    Then config space reads
      | offset | width | value  | register                     |
      | 0x02   | 2     | 0x1041 | device id: modern virtio-net |
    And the revision id is not 0
    And BAR0 in config space is not an I/O BAR
    And region 0 of the VF is not the 32-byte emulated BAR

  @profile:virtio_pci @C-VLEG-046 @C-VLEG-029 @C-VLEG-037
  Scenario: [7] A VF whose owner lists its member notify address only after the end entry gets no VFIO device
    Given a VF whose owner reports no member notify address before the end of its list
    Then no driver is bound to the VF

  @C-VLEG-050 @C-VLEG-062
  Scenario: [8] After a function reset the command register shows I/O decoding disabled
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    Then bit 0x1 of the 2-byte config register at 0x04 is set
    When the VF is reset
    Then bit 0x1 of the 2-byte config register at 0x04 is clear

  @C-VLEG-049
  Scenario Outline: [9] BAR0 keeps only 32-byte aligned I/O addresses: <written> reads back as <value>
    Given a VF shown to the guest as a transitional virtio-net device
    When the guest writes <written> to config space at offset 0x10
    Then config space reads
      | offset | width | value   | register |
      | 0x10   | 4     | <value> | BAR0     |

    Examples:
      | written    | value      |
      | 0x1fc00000 | 0x0000c001 |
      | 0x10c00000 | 0x0000c001 |
      | 0x20c00000 | 0x0000c021 |
      | 0x30c00000 | 0x0000c021 |

  @C-VLEG-061 @C-VLEG-062
  Scenario: [10] Region info of BAR0 is the same after the guest placed BAR0 and the VF was reset
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest writes 0x40c00000 to config space at offset 0x10
    And the VF is reset
    Then region 0 of the VF has offset 0, size 32 and flags 0x3

  @C-VLEG-076
  Scenario Outline: [11] GET_IRQ_INFO of index <index> with argsz <argsz> (<what>)
    Given a VF shown to the guest as a transitional virtio-net device
    When VFIO_DEVICE_GET_IRQ_INFO is issued on the VF for index <index> with argsz <argsz>
    Then <answer>

    Examples:
      | index      | argsz | what                     | answer                                                                                       |
      | 0          | 16    | INTx                     | the IRQ info has argsz 16, index 0, flags "EVENTFD, MASKABLE, AUTOMASKED" and count "0"      |
      | 1          | 16    | MSI                      | the IRQ info has argsz 16, index 1, flags "EVENTFD, NORESIZE" and count "0 or a power of two up to 32" |
      | 2          | 16    | MSI-X                    | the IRQ info has argsz 16, index 2, flags "EVENTFD, perhaps NORESIZE" and count "at least 1" |
      | 3          | 16    | error                    | the IRQ info has argsz 16, index 3, flags "EVENTFD, NORESIZE" and count "1"                  |
      | 4          | 16    | request                  | the IRQ info has argsz 16, index 4, flags "EVENTFD, NORESIZE" and count "1"                  |
      | 2          | 17    | argsz above the struct   | the IRQ info has argsz 17, index 2, flags "EVENTFD, perhaps NORESIZE" and count "at least 1" |
      | 1          | 32    | argsz above the struct   | the IRQ info has argsz 32, index 1, flags "EVENTFD, NORESIZE" and count "0 or a power of two up to 32" |
      | 5          | 16    | past the last index      | the call fails with EINVAL                                                                   |
      | 0xffffffff | 16    | the largest index        | the call fails with EINVAL                                                                   |
      | 2          | 15    | argsz one byte short     | the call fails with EINVAL                                                                   |
      | 0          | 0     | argsz 0                  | the call fails with EINVAL                                                                   |

  @C-VLEG-075
  Scenario Outline: [12] Enabling <vectors> vectors of interrupt index <index> <result>
    Given a VF shown to the guest as a transitional virtio-net device
    When the host tries to enable "<vectors>" vectors of interrupt index <index>
    Then the call <result>

    Examples:
      | index | vectors   | result                |
      | 2     | count - 1 | succeeds              |
      | 2     | count     | succeeds              |
      | 2     | count + 1 | fails with EINVAL     |
      | 1     | count     | succeeds              |
      | 1     | count + 1 | fails with EINVAL     |
