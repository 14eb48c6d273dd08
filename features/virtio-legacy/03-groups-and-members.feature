@role:virtio-owner
Feature: 03 Group types and member ids
  An admin command names a group type and, for commands about a member, a
  member of that group. The SR-IOV group (type 0x1) has the owner PF's VFs as
  members 1 to NumVFs and exists only while VF Enable is set; the Self group
  (type 0x0) holds only the owner, as member 0; types 2 to 65535 are
  reserved. The device checks the group type first, then the opcode, then the
  member id, and a refused command has no effect.
  Source: virtio specification, "Device groups" and "Group administration
  commands" (admin.tex).
  Applies to an implementation declaring a device with the virtio-owner role.

  @C-VLEG-005
  Scenario Outline: [1] Group type <group_type> is <what>
    Given an SR-IOV virtio owner
    When the driver submits LIST_QUERY to the <group> group for member 0 with no data and a 16-byte writable part
    Then <outcome>

    Examples:
      | group_type | what                  | group           | outcome                                                                     |
      | 0x0000     | the Self group        | Self            | the command succeeds                                                        |
      | 0x0001     | the SR-IOV group      | SR-IOV          | the command succeeds                                                        |
      | 0x0002     | reserved              | reserved 0x0002 | the command fails with status 22 (EINVAL) and qualifier 0x04 (INVALID_GROUP) |
      | 0xffff     | reserved              | reserved 0xffff | the command fails with status 22 (EINVAL) and qualifier 0x04 (INVALID_GROUP) |

  @C-VLEG-006
  Scenario Outline: [2] Member id <member> is <what> in the SR-IOV group
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver reads 1 byte of the legacy common configuration of member <member> at offset 18
    Then <outcome>

    Examples:
      | member             | what                                | outcome                                                                       |
      | 1                  | the first VF                        | the command succeeds                                                          |
      | NumVFs             | the last enabled VF                 | the command succeeds                                                          |
      | 0                  | the owner, which is no member here  | the command fails with status 22 (EINVAL) and qualifier 0x05 (INVALID_MEMBER) |
      | NumVFs + 1         | beyond NumVFs                       | the command fails with status 22 (EINVAL) and qualifier 0x05 (INVALID_MEMBER) |
      | 18446744073709551615 | the largest id                    | the command fails with status 22 (EINVAL) and qualifier 0x05 (INVALID_MEMBER) |

  @C-VLEG-006 @C-VLEG-005
  Scenario: [3] A VF the PF could enable but has not is no member: ids stop at NumVFs, not TotalVFs
    Given an SR-IOV virtio owner with fewer VFs enabled than it could have
    And the driver has put the commands 0x0-0x6 in use
    When the driver reads 1 byte of the legacy common configuration of member NumVFs + 1 at offset 18
    Then the command fails with status 22 (EINVAL) and qualifier 0x05 (INVALID_MEMBER)

  @C-VLEG-005 @C-VLEG-006
  Scenario: [4] The legacy commands do not exist in the Self group, whatever the member id
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver submits LEGACY_COMMON_CFG_READ to the Self group for member 0 with data 0x12 and a 9-byte writable part
    Then the command fails with status 22 (EINVAL) and qualifier 0x02 (INVALID_OPCODE)

  @C-VLEG-008
  Scenario Outline: [5] With <bad> wrong, the qualifier names <first>
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0, 0x1, 0x3 in use
    When the driver submits <opcode> to the <group> group for member <member> with data 0xff and a 10-byte writable part
    Then the command fails with status 22 (EINVAL) and qualifier <qualifier> (<first>)

    Examples:
      | bad                                  | opcode                  | group           | member     | qualifier | first          |
      | group type, opcode and member        | LEGACY_COMMON_CFG_WRITE | reserved 0x0002 | NumVFs + 1 | 0x04      | INVALID_GROUP  |
      | opcode and member                    | LEGACY_COMMON_CFG_WRITE | SR-IOV          | NumVFs + 1 | 0x02      | INVALID_OPCODE |
      | member and field                     | LEGACY_COMMON_CFG_READ  | SR-IOV          | 0          | 0x05      | INVALID_MEMBER |
      | only the field                       | LEGACY_COMMON_CFG_READ  | SR-IOV          | 1          | 0x03      | INVALID_FIELD  |

  @C-VLEG-007
  Scenario: [6] Without VF Enable every SR-IOV group command is refused as an invalid group
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    When the driver disables the owner's VFs
    And the driver queries the supported commands
    Then the command fails with status 22 (EINVAL) and qualifier 0x04 (INVALID_GROUP)
    When the driver reads 1 byte of the legacy common configuration of member 1 at offset 18
    Then the command fails with status 22 (EINVAL) and qualifier 0x04 (INVALID_GROUP)
    When the driver submits LIST_QUERY to the Self group for member 0 with no data and a 16-byte writable part
    Then the command succeeds

  @C-VLEG-015
  Scenario Outline: [7] A command refused with <qualifier> leaves the member as it was
    Given an SR-IOV virtio owner
    And the driver has put the commands 0x0-0x6 in use
    And the driver writes to the legacy common configuration of member 1
      | offset | bytes | register     |
      | 14     | 01 00 | queue select |
    When the driver submits LEGACY_COMMON_CFG_WRITE to the <group> group for member <member> with data <data> and an 8-byte writable part
    Then the command fails with status 22 (EINVAL) and qualifier <qualifier> (<name>)
    And the legacy common configuration of member 1 at offset 14 reads 0x0100

    Examples:
      | group           | member | data                     | qualifier | name           |
      | reserved 0x0002 | 1      | 0x0e000000000000000400   | 0x04      | INVALID_GROUP  |
      | SR-IOV          | 0      | 0x0e000000000000000400   | 0x05      | INVALID_MEMBER |
      | SR-IOV          | 1      | 0x0d000000000000000400   | 0x03      | INVALID_FIELD  |
