@role:virtio-owner
Feature: 01 Group administration command format
  What one admin command looks like on the owner's administration virtqueue:
  a device-readable part (a 24-byte header, then the command's data) and a
  device-writable part (an 8-byte status, then the command's result). Every
  multi-byte field is little-endian on every host, and the device copes with
  parts shorter or longer than the structures it expects.
  Sources: virtio specification, "Device groups" and "Group administration
  commands" (admin.tex), "Legacy Interfaces" (admin-cmds-legacy-interface.tex);
  Linux include/uapi/linux/virtio_pci.h.
  Applies to an implementation declaring a device with the virtio-owner role.

  @C-VLEG-001 @C-VLEG-002 @C-VLEG-004 @C-VLEG-005 @C-VLEG-014
  Scenario: [1] A LIST_QUERY laid out byte by byte is answered with an 8-byte status and the bitmap
    Given an SR-IOV virtio owner
    When the driver submits these device-readable bytes with a 16-byte writable part
      | offset | bytes                               | field                     |
      | 0      | 00 00                               | opcode: LIST_QUERY        |
      | 2      | 01 00                               | group_type: SR-IOV        |
      | 4      | 00 00 00 00 00 00 00 00 00 00 00 00 | reserved                  |
      | 16     | 00 00 00 00 00 00 00 00             | group_member_id: not used |
    Then the device writes
      | offset | bytes       | field                          |
      | 0      | 00 00       | status: OK                     |
      | 2      | 00 00       | status_qualifier: OK           |
      | 4      | 00 00 00 00 | reserved                       |
      | 8      | ?? ?? ?? ?? | result: opcode bitmap, word 0  |
      | 12     | ?? ?? ?? ?? |                                |
    And the used length is 16
    And the result is an opcode bitmap with 0x0, 0x1 set

  @C-VLEG-001 @C-VLEG-004 @C-VLEG-018 @C-VLEG-019 @C-VLEG-022
  Scenario: [2] LEGACY_COMMON_CFG_WRITE and LEGACY_COMMON_CFG_READ laid out byte by byte
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver submits these device-readable bytes with an 8-byte writable part
      | offset | bytes                               | field                                 |
      | 0      | 02 00                               | opcode: LEGACY_COMMON_CFG_WRITE       |
      | 2      | 01 00                               | group_type: SR-IOV                    |
      | 4      | 00 00 00 00 00 00 00 00 00 00 00 00 | reserved                              |
      | 16     | 01 00 00 00 00 00 00 00             | group_member_id: 1                    |
      | 24     | 0e                                  | offset: 14, queue select              |
      | 25     | 00 00 00 00 00 00 00                | reserved                              |
      | 32     | 02 00                               | data: 2 bytes, queue 2                |
    Then the command succeeds
    And the used length is 8
    When the driver submits these device-readable bytes with a 10-byte writable part
      | offset | bytes                               | field                                 |
      | 0      | 03 00                               | opcode: LEGACY_COMMON_CFG_READ        |
      | 2      | 01 00                               | group_type: SR-IOV                    |
      | 4      | 00 00 00 00 00 00 00 00 00 00 00 00 | reserved                              |
      | 16     | 01 00 00 00 00 00 00 00             | group_member_id: 1                    |
      | 24     | 0e                                  | offset: 14, queue select              |
    Then the device writes
      | offset | bytes       | field                       |
      | 0      | 00 00       | status: OK                  |
      | 2      | 00 00       | status_qualifier: OK        |
      | 4      | 00 00 00 00 | reserved                    |
      | 8      | 02 00       | data: 2 bytes, as written   |
    And the used length is 10

  @C-VLEG-004
  Scenario Outline: [3] <command> is opcode <opcode>
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver submits opcode <opcode> to the SR-IOV group for member 1 with data <data> and a <writable>-byte writable part
    Then the command succeeds
    And the used length is <used>

    Examples:
      | command                 | opcode | data               | writable | used |
      | LIST_QUERY              | 0x0000 | 0x                 | 16       | 16   |
      | LEGACY_COMMON_CFG_WRITE | 0x0002 | 0x0e000000000000000100 | 8    | 8    |
      | LEGACY_COMMON_CFG_READ  | 0x0003 | 0x0e               | 10       | 10   |
      | LEGACY_DEV_CFG_WRITE    | 0x0004 | 0x00000000000000005254 | 8    | 8    |
      | LEGACY_DEV_CFG_READ     | 0x0005 | 0x00               | 14       | 14   |
      | LEGACY_NOTIFY_INFO      | 0x0006 | 0x                 | 72       | 72   |

  @C-VLEG-003 @C-VLEG-022
  Scenario: [4] A driver on a big-endian host sends the same little-endian bytes, and the owner executes them
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    And the driver runs on a big-endian host
    When the driver writes the 16-bit value 0x0002 to the legacy common configuration of member 1 at offset 14
    Then the device-readable part was
      | offset | bytes                               | field                                        |
      | 0      | 02 00                               | opcode 0x0002, little-endian                 |
      | 2      | 01 00                               | group_type 0x0001, little-endian             |
      | 4      | 00 00 00 00 00 00 00 00 00 00 00 00 | reserved                                     |
      | 16     | 01 00 00 00 00 00 00 00             | group_member_id 1, little-endian             |
      | 24     | 0e 00 00 00 00 00 00 00             | offset 14, reserved                          |
      | 32     | 02 00                               | 0x0002, little-endian although the host is not |
    And the command succeeds
    And the legacy common configuration of member 1 at offset 14 reads 0x0200

  @C-VLEG-017 @C-VLEG-002
  Scenario: [5] A writable part shorter than the answer is filled up to its end and no further
    Given an SR-IOV virtio owner
    When the driver submits LIST_QUERY to the SR-IOV group for member 0 with no data and a 12-byte writable part
    Then the command succeeds
    And the used length is 12
    When the driver submits LIST_QUERY to the SR-IOV group for member 0 with no data and a 4-byte writable part
    Then the device writes
      | offset | bytes | field                |
      | 0      | 00 00 | status: OK           |
      | 2      | 00 00 | status_qualifier: OK |
    And the used length is 4

  @C-VLEG-017
  Scenario: [6] A writable part longer than the answer is used only as far as the answer goes
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver submits LEGACY_NOTIFY_INFO to the SR-IOV group for member 1 with no data and a 96-byte writable part
    Then the command succeeds
    And the used length is 72

  @C-VLEG-017
  Scenario: [7] Readable bytes the driver leaves out count as zero, extra ones are ignored
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver writes 0x0300 to the legacy common configuration of member 1 at offset 14
    Then the command succeeds
    # No offset byte at all: the offset is 0, the host features.
    When the driver submits LEGACY_COMMON_CFG_READ to the SR-IOV group for member 1 with no data and a 12-byte writable part
    Then the command succeeds
    And the result is the same as reading 4 bytes of the legacy common configuration of member 1 at offset 0
    # An offset byte followed by 15 bytes the command does not define.
    When the driver submits LEGACY_COMMON_CFG_READ to the SR-IOV group for member 1 with data 0x0e0102030405060708090a0b0c0d0e0f and a 10-byte writable part
    Then the command succeeds
    And the result is 0x0300

  @C-VLEG-017 @C-VLEG-019
  Scenario: [8] Parts that are not a multiple of 8 bytes are accepted: a 2-byte read is 25 bytes in, 10 out
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver submits LEGACY_COMMON_CFG_READ to the SR-IOV group for member 1 with data 0x0c and a 10-byte writable part
    Then the command succeeds
    And the used length is 10

  @C-VLEG-016 @untestable
  Scenario: [9] A driver treats an unknown status like 22 and an unknown qualifier like 0x01
    # Untestable through the contract: the status a driver sees is chosen by the
    # device, a conforming owner never answers an unknown status, and Linux
    # passes any non-zero status s through as -s instead of mapping it to 22.
    Given an SR-IOV virtio owner

  @C-VLEG-017
  Scenario Outline: [10] A <writable>-byte writable part for the 72-byte LEGACY_NOTIFY_INFO answer is used for <used> bytes
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver submits LEGACY_NOTIFY_INFO to the SR-IOV group for member 1 with no data and a <writable>-byte writable part
    Then the used length is <used>

    Examples:
      | writable | used |
      | 8        | 8    |
      | 71       | 71   |
      | 72       | 72   |
      | 73       | 72   |
