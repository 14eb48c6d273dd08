@role:virtio-translator
Feature: 09 Why the legacy emulation is x86 only: ordering and byte order
  Legacy drivers order their accesses with barriers meant for a software
  device on the same CPUs, and they keep the device config and the rings in
  the guest's byte order, which a hardware member cannot know: the admin
  commands carry data little-endian, and the translator passes the guest's
  bytes through unchanged. x86 is little-endian and strongly ordered, so it
  works there. Linux therefore builds the legacy support on x86 only: elsewhere
  the owner driver puts no legacy command in use and the VF keeps its modern
  identity. Admin command fields themselves are little-endian on every host.
  Sources: Linux drivers/virtio/Kconfig and drivers/vfio/pci/virtio/Kconfig
  (6.8 to 6.12, and 6.13 on), virtio_pci_modern.c; the review of "vfio/virtio:
  Introduce a vfio driver over virtio devices" (December 2023); virtio
  specification, transport-pci.tex and admin-cmds-legacy-interface.tex.

  @C-VLEG-064 @C-VLEG-067 @C-VLEG-063
  Scenario: [1] On a host that is not x86 no legacy command is put in use and the VF keeps its modern identity
    Given a host that is not x86
    And the owner driver of a translator VF's PF
    Then the LIST_USE bitmap has none of the opcodes 0x2-0x6 set
    When the guest opens the translator VF
    Then config space reads
      | offset | width | value  | register                     |
      | 0x02   | 2     | 0x1041 | device id: modern virtio-net |
    And BAR0 in config space is not an I/O BAR

  @C-VLEG-064 @C-VLEG-067
  Scenario: [2] On an x86 host the owner driver puts every legacy command the owner offers in use
    Given an x86 host
    And the owner driver of a translator VF's PF
    Then the LIST_USE bitmap keeps every legacy opcode from 0x2 to 0x6 that LIST_QUERY reported

  @C-VLEG-065 @untestable
  Scenario: [3] Before 6.13 the VF driver itself cannot be built without the x86-only legacy support
    # Untestable through the contract: it is a Kconfig dependency
    # (VIRTIO_VFIO_PCI on VIRTIO_PCI_ADMIN_LEGACY, which depends on X86 or
    # COMPILE_TEST); only its consequence, checked in [1], is visible at run time.
    Given a host that is not x86

  @C-VLEG-066 @untestable
  Scenario: [4] From 6.13 the VF driver builds everywhere and only its legacy part needs x86
    # Untestable through the contract: it is a Kconfig dependency
    # (VIRTIO_VFIO_PCI_ADMIN_LEGACY on VIRTIO_VFIO_PCI and VIRTIO_PCI_ADMIN_LEGACY);
    # its consequence, checked in [1], is the same as before 6.13.
    Given a host that is not x86

  @C-VLEG-003
  Scenario: [5] On a big-endian host the owner driver's commands carry little-endian fields
    Given a big-endian host
    And the owner driver of a translator VF's PF
    Then the owner driver's first command starts with
      | offset | bytes                               | field                         |
      | 0      | 00 00                               | opcode: LIST_QUERY            |
      | 2      | 01 00                               | group_type: SR-IOV, not 00 01 |
      | 4      | 00 00 00 00 00 00 00 00 00 00 00 00 | reserved                      |
      | 16     | 00 00 00 00 00 00 00 00             | group_member_id 0             |
    And the owner driver's second command starts with
      | offset | bytes | field                         |
      | 0      | 01 00 | opcode: LIST_USE, not 00 01   |
      | 2      | 01 00 | group_type: SR-IOV, not 00 01 |

  @C-VLEG-044 @C-VLEG-059 @C-VLEG-068
  Scenario: [6] A big-endian guest's 16-bit device-config value reaches the owner in the guest's byte order
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    And MSI-X is enabled for the VF on the host
    And the guest is big-endian
    When the guest writes the 16-bit value 0x0001 to BAR0 at offset 30
    Then the translator sent
      | command              | offset | data  | read width |
      | LEGACY_DEV_CFG_WRITE | 6      | 00 01 |            |
    And a little-endian device reads the data of that command as 0x0100, not 0x0001
    When the guest reads the 16-bit value at BAR0 offset 30
    Then the data read are the bytes of the owner's LEGACY_DEV_CFG_READ result, in the same order
    And the value the guest sees is the owner's little-endian status with its two bytes swapped
