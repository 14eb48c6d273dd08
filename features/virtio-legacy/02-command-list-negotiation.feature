@role:virtio-owner
Feature: 02 Command list negotiation
  Which admin commands an owner executes: LIST_QUERY reports the commands the
  device supports for a group type, LIST_USE chooses the ones the driver will
  use, and any command outside the used list is refused with status 22 and
  qualifier 0x02 without effect. After a reset only LIST_QUERY and LIST_USE
  are in use. The legacy commands come all together or not at all.
  Sources: virtio specification, "Group administration commands" (admin.tex)
  and "Legacy Interfaces" (admin-cmds-legacy-interface.tex).
  Applies to an implementation declaring a device with the virtio-owner role.

  @C-VLEG-009 @C-VLEG-010
  Scenario: [1] After reset only LIST_QUERY and LIST_USE are in use
    Given an SR-IOV virtio owner
    When the driver queries the supported commands
    Then the command succeeds
    When the driver reads 2 bytes of the legacy common configuration of member 1 at offset 14
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)
    # The opcode is looked at before the member id, so a bad member changes nothing.
    When the driver reads 2 bytes of the legacy common configuration of member 0 at offset 14
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)
    When the driver reads 2 bytes of the legacy common configuration of member NumVFs + 1 at offset 14
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)

  @C-VLEG-011 @C-VLEG-023
  Scenario: [2] LIST_QUERY reports LIST_QUERY and LIST_USE, and the legacy commands all together or not at all
    Given an SR-IOV virtio owner
    When the driver queries the supported commands
    Then the result is an opcode bitmap with 0x0, 0x1 set
    And the result bitmap offers LEGACY_COMMON_CFG_WRITE to LEGACY_DEV_CFG_READ all together or not at all
    And the result bitmap offers LEGACY_NOTIFY_INFO only together with LEGACY_COMMON_CFG_WRITE to LEGACY_DEV_CFG_READ

  @C-VLEG-012 @C-VLEG-010
  Scenario: [3] LIST_USE replaces the used list with exactly the submitted bitmap
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0, 0x1, 0x3 in use
    When the driver reads 2 bytes of the legacy common configuration of member 1 at offset 14
    Then the command succeeds
    When the driver writes 0x0100 to the legacy common configuration of member 1 at offset 14
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)

  @C-VLEG-012 @C-VLEG-015
  Scenario: [4] A bitmap with a command the device does not support is refused and the previous list stays
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0, 0x1, 0x3 in use
    When the driver puts the commands 0x0-0x3, 0x3f in use
    Then the command fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD)
    When the driver reads 2 bytes of the legacy common configuration of member 1 at offset 14
    Then the command succeeds
    When the driver writes 0x0100 to the legacy common configuration of member 1 at offset 14
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)

  @C-VLEG-010 @C-VLEG-009
  Scenario: [5] Leaving LIST_QUERY and LIST_USE out of the list locks them out until the owner is reset
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x2-0x6 in use
    When the driver queries the supported commands
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)
    When the owner is reset
    And the driver queries the supported commands
    Then the command succeeds
    When the driver reads 2 bytes of the legacy common configuration of member 1 at offset 14
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)

  @C-VLEG-013 @C-VLEG-009
  Scenario: [6] What LIST_QUERY reports never shrinks, and after a reset the same list is accepted again
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver queries the supported commands
    Then the result bitmap still has every opcode the first query reported
    When the owner is reset
    And the driver queries the supported commands
    Then the result bitmap still has every opcode the first query reported
    When the driver puts the commands 0x0-0x6 in use
    Then the command succeeds

  @C-VLEG-010 @C-VLEG-015
  Scenario: [7] A command outside the used list changes nothing
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x3 in use
    And the driver writes to the legacy common configuration of member 1
      | offset | bytes | register     |
      | 14     | 01 00 | queue select |
    And the driver has put the commands 0x0, 0x1, 0x3 in use
    When the driver writes 0x0200 to the legacy common configuration of member 1 at offset 14
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)
    And the legacy common configuration of member 1 at offset 14 reads 0x0100

  @C-VLEG-009 @C-VLEG-005
  Scenario: [8] Each group type has its own used list
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x2-0x6 in use
    When the driver submits LIST_QUERY to the Self group for member 0 with no data and a 16-byte writable part
    Then the command succeeds
    And the result is an opcode bitmap with 0x0, 0x1 set

  @C-VLEG-009 @C-VLEG-010
  Scenario: [9] A reset of the owner takes the legacy commands out of use again
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver reads 2 bytes of the legacy common configuration of member NumVFs at offset 14
    Then the command succeeds
    When the owner is reset
    And the driver reads 2 bytes of the legacy common configuration of member NumVFs at offset 14
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)
    When the driver puts the commands 0x0-0x6 in use
    And the driver reads 2 bytes of the legacy common configuration of member NumVFs at offset 14
    Then the command succeeds

  @C-VLEG-012 @C-VLEG-009
  Scenario: [10] A LIST_USE refused right after a reset leaves only LIST_QUERY and LIST_USE in use
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the owner is reset
    And the driver puts the commands 0x0-0x6, 0x3f in use
    Then the command fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD)
    When the driver reads 1 byte of the legacy common configuration of member 1 at offset 18
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)
    When the driver queries the supported commands
    Then the command succeeds

  # The opcodes from 64 on need the owner not to support them; an owner that does is not the case here.
  @C-VLEG-071 @C-VLEG-012
  Scenario Outline: [11] A LIST_USE bitmap of <bytes> bytes with <list>: every word counts, zero words change nothing
    Given an SR-IOV virtio owner
    And the owner does not offer the commands 0x40, 0x7f, 0xbf
    And the driver has put the commands 0x0, 0x1, 0x3 in use
    When the driver puts the commands <list> in use in a bitmap of <bytes> bytes
    Then the command <answer>
    When the driver writes 0x0100 to the legacy common configuration of member 1 at offset 14
    Then the command <write>
    When the driver queries the supported commands
    Then the command <query>

    Examples:
      | list          | bytes | answer                                                           | write                                                            | query    |
      | 0x0-0x6       | 8     | succeeds                                                         | succeeds                                                         | succeeds |
      | 0x0-0x6       | 12    | succeeds                                                         | succeeds                                                         | succeeds |
      | 0x0-0x6       | 16    | succeeds                                                         | succeeds                                                         | succeeds |
      | 0x0-0x6       | 24    | succeeds                                                         | succeeds                                                         | succeeds |
      | 0x0, 0x1, 0x3 | 16    | succeeds                                                         | fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE) | succeeds |
      | 0x2-0x6       | 24    | succeeds                                                         | succeeds                                                         | fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE) |
      | 0x0-0x6, 0x40 | 12    | fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD) | fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE) | succeeds |
      | 0x0-0x6, 0x40 | 16    | fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD) | fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE) | succeeds |
      | 0x0-0x6, 0x7f | 16    | fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD) | fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE) | succeeds |
      | 0x0-0x6, 0xbf | 24    | fails with status 22 (EINVAL) and qualifier 0x03 (INVALID_FIELD) | fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE) | succeeds |

  @C-VLEG-072 @C-VLEG-011 @C-VLEG-013
  Scenario Outline: [12] LIST_QUERY into a result part of <bytes> bytes reports the whole bitmap
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0, 0x1 in use
    When the driver submits LIST_QUERY to the SR-IOV group for member 0 with no data and a <writable>-byte writable part
    Then the command succeeds
    And the result is an opcode bitmap with 0x0, 0x1 set
    And the result bitmap still has every opcode the first query reported

    Examples:
      | bytes | writable |
      | 8     | 16       |
      | 16    | 24       |
      | 24    | 32       |
      | 40    | 48       |
