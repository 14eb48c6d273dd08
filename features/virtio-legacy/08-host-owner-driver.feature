@role:virtio-translator
Feature: 08 Linux's owner driver negotiates the admin commands the translator needs
  When Linux's virtio-pci driver brings a PF with an admin virtqueue to
  DRIVER_OK it sends LIST_QUERY for the SR-IOV group and then LIST_USE with
  the answer masked by the opcodes it was built to use: the legacy commands
  (0x7c) on x86, the device-parts commands (0x3e780) from 6.13 on, and never
  LIST_QUERY or LIST_USE themselves. A VF gets the legacy emulation only if
  every legacy command was accepted, and the translator uses the first member
  notify entry before the end of the NOTIFY_INFO list.
  Sources: Linux drivers/virtio/virtio_pci_modern.c, virtio_pci_admin_legacy_io.c
  (6.8 and later), drivers/vfio/pci/virtio/.
  Applies to an implementation declaring VFs with the virtio-translator role
  that can show what its host drivers sent to the owner (admin_trace).

  @profile:virtio_pci @C-VLEG-030
  Scenario: [1] At DRIVER_OK the owner driver sends LIST_QUERY and then LIST_USE for the SR-IOV group
    Given the owner driver of a translator VF's PF
    Then the owner driver sent
      | command    | group_type | group_member_id | data bytes | writable length |
      | LIST_QUERY | 0x0001     | 0               | 0          | 16              |
      | LIST_USE   | 0x0001     | 0               | 8          | 8               |
    And the LIST_USE bitmap is the LIST_QUERY result masked by the opcodes the driver uses

  @profile:virtio_pci @C-VLEG-031 @kernel<6.13
  Scenario: [2] On x86 before 6.13 the owner driver uses the legacy commands only: mask 0x7c
    Given an x86 host
    And the owner driver of a translator VF's PF
    Then the LIST_USE bitmap is the LIST_QUERY result masked with 0x7c

  @profile:virtio_pci @C-VLEG-031 @kernel>=6.13
  Scenario: [3] On x86 from 6.13 the owner driver also uses the device-parts commands: mask 0x3e7fc
    Given an x86 host
    And the owner driver of a translator VF's PF
    Then the LIST_USE bitmap is the LIST_QUERY result masked with 0x3e7fc

  @profile:virtio_pci @C-VLEG-032
  Scenario: [4] The owner driver's LIST_USE never keeps LIST_QUERY or LIST_USE in use
    Given the owner driver of a translator VF's PF
    Then the LIST_USE bitmap has none of the opcodes 0x0, 0x1 set

  @profile:virtio_pci @C-VLEG-033 @untestable
  Scenario: [5] Linux refuses an opcode outside the accepted bitmap with EOPNOTSUPP without queuing it
    # Untestable through the contract: the translator, the only user a test can
    # drive, is set up only when every legacy opcode was accepted, so no user
    # action makes Linux issue an opcode outside the accepted bitmap.
    Given the owner driver of a translator VF's PF

  @profile:virtio_pci @C-VLEG-034 @C-VLEG-045
  Scenario: [6] Only VFs whose owner driver accepted every legacy command are emulated
    Given an x86 host
    Then every declared translator VF is emulated exactly when its PF's owner driver put opcodes 0x2-0x6 in use, its BAR0 is not implemented and its owner reported a member notify address

  @profile:virtio_pci @C-VLEG-037 @C-VLEG-029
  Scenario: [7] The translator uses the first member entry of NOTIFY_INFO, skipping owner entries
    Given a VF shown to the guest as a transitional virtio-net device
    And the guest has enabled I/O decoding
    When the guest writes 0x0000 to BAR0 at offset 16
    Then the notify access went to the first member entry of the NOTIFY_INFO result
