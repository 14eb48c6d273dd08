@role:virtio-translator
Feature: 10 VFIO migration of virtio-net VFs (Linux 6.13 and later)
  From 6.13 virtio-vfio-pci can migrate a VF through the owner's device-parts
  commands. It offers VFIO migration (STOP_COPY and P2P) only when the PF's
  owner driver had opcodes 7, 8, 9, 0xa, 0xd, 0xe, 0xf, 0x10 and 0x11 accepted
  and the device-parts capability allows resource objects; the RUNNING to
  RUNNING_P2P arc stops the member with DEV_MODE_SET.
  Sources: Linux drivers/vfio/pci/virtio/migrate.c and main.c (6.13 and later),
  drivers/virtio/virtio_pci_modern.c, include/uapi/linux/virtio_pci.h.
  Applies to an implementation declaring VFs with the virtio-translator role.

  @C-VLEG-069
  Scenario: [1] A VF whose owner driver did not get the device-parts commands accepted offers no VFIO migration
    Given a VF shown to the guest as a transitional virtio-net device
    And its PF's owner driver did not put opcodes 0x7-0xa, 0xd-0x11 in use
    Then GET of VFIO_DEVICE_FEATURE_MIGRATION on the VF fails with ENOTTY

  @C-VLEG-070 @kernel>=6.13
  Scenario: [2] RUNNING to RUNNING_P2P stops the member with DEV_MODE_SET 0x1, and back with 0x0
    Given a translator VF that offers VFIO migration
    When the VF's migration state is set to RUNNING_P2P
    Then the call succeeds
    And the translator sent
      | command      | offset | data | read width |
      | DEV_MODE_SET |        | 01   |            |
    When the VF's migration state is set to RUNNING
    Then the call succeeds
    And the translator sent
      | command      | offset | data | read width |
      | DEV_MODE_SET |        | 00   |            |
