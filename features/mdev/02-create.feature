@role:mdev
Feature: 02 Creating an mdev
  Writing a UUID to a type's create file creates an mdev of that type. The
  write must be 36 or 37 bytes long; the first 36 must be hex digits of either
  case with hyphens at offsets 8, 13, 18 and 23, and a 37th byte is not looked
  at. No other form is accepted: no braces, no urn:uuid: prefix, no compact
  32-digit form, no surrounding blanks. The device is named by the UUID in
  lower case. A UUID already used by any mdev, on any parent and type and in
  any case, is refused with EEXIST, and that check comes before instances are
  counted. The new mdev is a child of the parent, is listed on the mdev bus and
  in its type's devices/, and is bound right away to the driver its parent
  registered with; the bus never binds an mdev by matching (5.14 on).
  Source: drivers/vfio/mdev/mdev_sysfs.c, mdev_core.c, mdev_driver.c,
  lib/uuid.c, drivers/base/bus.c (Linux 6.12); mdevctl src/mdev.rs. The edge
  cases were measured on a 6.12.117 kernel. Every scenario runs against the
  types the implementation declares; one that needs a second type, a second
  parent or a given way of counting says so in a Given.

  Written bytes are text with the escapes \n, \0 and \xNN; {uuid} is a fresh
  UUID in lower case, {UUID} the same in upper case and {Uuid} in mixed case;
  {uuid:A} is the UUID of the scenario's mdev A.

  @C-MDEV-012 @C-MDEV-013 @C-MDEV-014
  Scenario Outline: [1] create accepts <what> and returns the bytes written
    Given a declared mdev type "T"
    When "<written>" is written to "{type:T}/create"
    Then the write returns <count>
    And these paths exist:
      | path                              | kind |
      | /sys/bus/mdev/devices/<name>      | link |

    Examples:
      | what                                 | written                              | count | name                                 |
      | a lower-case UUID                    | {uuid}                               | 36    | {uuid}                               |
      | a UUID and a newline, as echo writes | {uuid}\n                             | 37    | {uuid}                               |
      | an upper-case UUID                   | {UUID}                               | 36    | {uuid}                               |
      | a mixed-case UUID and a newline      | {Uuid}\n                             | 37    | {uuid}                               |
      | a UUID and an x                      | {uuid}x                              | 37    | {uuid}                               |
      | a UUID and a blank                   | {uuid}\x20                           | 37    | {uuid}                               |
      | a UUID and a hyphen                  | {uuid}-                              | 37    | {uuid}                               |
      | a UUID and a NUL byte                | {uuid}\0                             | 37    | {uuid}                               |
      | the nil UUID                         | 00000000-0000-0000-0000-000000000000 | 36    | 00000000-0000-0000-0000-000000000000 |

  @C-MDEV-010 @C-MDEV-011
  Scenario Outline: [2] create refuses <what> with EINVAL and creates nothing
    Given a declared mdev type "T"
    When "<written>" is written to "{type:T}/create"
    Then the call fails with EINVAL
    And no mdev was created

    Examples:
      | what                                      | written                                |
      | 35 bytes                                  | 01234567-89ab-cdef-0123-456789abcde    |
      | 35 characters and a newline               | 01234567-89ab-cdef-0123-456789abcde\n  |
      | a UUID and two newlines                   | {uuid}\n\n                             |
      | a UUID and two more bytes                 | {uuid}xy                               |
      | a UUID in braces                          | {{uuid}}                               |
      | a UUID in braces and a newline            | {{uuid}}\n                             |
      | a urn:uuid: prefix                        | urn:uuid:{uuid}                        |
      | 32 hex digits                             | 0123456789abcdef0123456789abcdef       |
      | 32 hex digits and a newline               | 0123456789abcdef0123456789abcdef\n     |
      | 36 hex digits                             | 0123456789abcdef0123456789abcdef0123   |
      | a hyphen one place early                  | 0123456-789ab-cdef-0123-456789abcdef   |
      | a g among the digits                      | 0123456g-89ab-cdef-0123-456789abcdef   |
      | a leading blank                           | \x20{uuid}                             |
      | a NUL among the digits                    | 01234567-89ab-cdef-0123-4567\089abcdef |
      | words                                     | not-a-uuid                             |
      | a newline alone                           | \n                                     |

  @C-MDEV-010
  Scenario: [3] An empty write to create returns 0 and creates nothing
    Given a declared mdev type "T"
    When "" is written to "{type:T}/create"
    Then the write returns 0
    And no mdev was created

  @C-MDEV-014
  Scenario: [4] A UUID written in upper case names the device in lower case only
    Given a declared mdev type "T"
    When "{UUID}\n" is written to "{type:T}/create"
    Then the write returns 37
    And these paths exist:
      | path                               | kind |
      | /sys/bus/mdev/devices/{uuid}       | link |
      | {parent:T}/{uuid}             | dir  |
    And these paths do not exist:
      | path                               |
      | /sys/bus/mdev/devices/{UUID}       |
      | {parent:T}/{UUID}             |
    When "1" is written to "/sys/bus/mdev/devices/{UUID}/remove"
    Then the call fails with ENOENT

  @C-MDEV-015
  Scenario Outline: [5] A UUID in use is refused with EEXIST under the same type, in any case, on a type counted by <counter>
    # "no mdev was created" also compares the IOMMU groups, the VFIO device
    # nodes and every type's available_instances with what they were before.
    Given a declared mdev type "T" counted by <counter>
    And an mdev "A" of type "T"
    When "{uuid:A}" is written to "{type:T}/create"
    Then the call fails with EEXIST
    And no mdev was created
    When "{UUID:A}\n" is written to "{type:T}/create"
    Then the call fails with EEXIST
    When "{Uuid:A}" is written to "{type:T}/create"
    Then the call fails with EEXIST
    And no mdev was created

    Examples:
      | counter       |
      | the mdev core |
      | its driver    |

  @C-MDEV-015
  Scenario: [6] A UUID in use is refused with EEXIST under another type of the same parent
    Given a declared mdev type "T"
    And a declared mdev type "U" of the same parent as "T"
    And an mdev "A" of type "T"
    When "{Uuid:A}" is written to "{type:U}/create"
    Then the call fails with EEXIST
    And no mdev was created

  @C-MDEV-015
  Scenario: [7] A UUID in use is refused with EEXIST under another parent, in both directions
    Given a declared mdev type "T"
    And a declared mdev type "U" of another parent than "T"
    And an mdev "A" of type "T"
    And an mdev "B" of type "U"
    When "{uuid:A}\n" is written to "{type:U}/create"
    Then the call fails with EEXIST
    When "{UUID:B}" is written to "{type:T}/create"
    Then the call fails with EEXIST
    And no mdev was created

  @C-MDEV-016
  Scenario: [8] A duplicate UUID is EEXIST even when the parent's counter is empty
    Given a declared mdev type "T" counted by the mdev core
    And an mdev "A" of type "T"
    And mdevs of type "T" are created until it shows 0 available
    When "{uuid:A}" is written to "{type:T}/create"
    Then the call fails with EEXIST
    And no mdev was created

  @C-MDEV-016
  Scenario: [9] A duplicate UUID is EEXIST even when the driver has no room left
    Given a declared mdev type "T" counted by its driver
    And an mdev "A" of type "T"
    And mdevs of type "T" are created until it shows 0 available
    When "{uuid:A}" is written to "{type:T}/create"
    Then the call fails with EEXIST
    And no mdev was created

  @C-MDEV-022 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario: [10] A new mdev lives under its parent, is on the bus and in its type, and is bound to its parent's driver
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    Then these paths exist:
      | path           | kind |
      | {dev:A}        | dir  |
      | {dev:A}/remove | file |
    And these links resolve to:
      | link                                       | target                           |
      | /sys/bus/mdev/devices/{uuid:A}             | {dev:A}                          |
      | {type:T}/devices/{uuid:A}                  | {dev:A}                          |
      | {dev:A}/mdev_type                          | {type:T}                         |
      | {dev:A}/driver                             | /sys/bus/mdev/drivers/{driver:T} |
      | {dev:A}/subsystem                          | /sys/bus/mdev                    |
      | /sys/bus/mdev/drivers/{driver:T}/{uuid:A}  | {dev:A}                          |

  @C-MDEV-022 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario: [11] A second mdev of the same type gets its own directory and links, and the first keeps its own
    Given a declared mdev type "T" with 2 instances available
    And an mdev "A" of type "T"
    And an mdev "B" of type "T"
    Then these links resolve to:
      | link                      | target   |
      | {type:T}/devices/{uuid:A} | {dev:A}  |
      | {type:T}/devices/{uuid:B} | {dev:B}  |
      | {dev:B}/mdev_type         | {type:T} |

  @C-MDEV-023 @C-MDEV-024 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario: [12] The bus binds an mdev only at create: bind is ENODEV, and an unbound mdev stays unbound
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/{driver:T}/bind"
    Then the call fails with ENODEV
    When "{uuid:A}\n" is written to "/sys/bus/mdev/drivers/{driver:T}/unbind"
    Then the write returns 37
    And these paths do not exist:
      | path                                      |
      | {dev:A}/driver                            |
      | /sys/bus/mdev/drivers/{driver:T}/{uuid:A} |
    And these paths exist:
      | path                           | kind |
      | /sys/bus/mdev/devices/{uuid:A} | link |
      | {dev:A}/mdev_type              | link |
      | {dev:A}/remove                 | file |
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/{driver:T}/bind"
    Then the call fails with ENODEV
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers_probe"
    Then the write returns 36
    And these paths do not exist:
      | path           |
      | {dev:A}/driver |
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/{driver:T}/unbind"
    Then the call fails with ENODEV
    When "{uuid:A}" is written to "{type:T}/create"
    Then the call fails with EEXIST
    When "1" is written to "{dev:A}/remove"
    Then the write returns 1
    And mdev "A" no longer exists

  @C-MDEV-024 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario: [13] Binding an mdev to another mdev driver is ENODEV too
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/{other_driver:T}/bind"
    Then the call fails with ENODEV
    When "{uuid:A}\n" is written to "/sys/bus/mdev/drivers/{other_driver:T}/unbind"
    Then the call fails with ENODEV
    And these links resolve to:
      | link           | target                           |
      | {dev:A}/driver | /sys/bus/mdev/drivers/{driver:T} |

  @C-MDEV-025
  Scenario: [14] An mdev has no driver_override, and remove is write-only
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    Then these paths exist:
      | path           | kind | mode |
      | {dev:A}/remove | file | 0200 |
    And these paths do not exist:
      | path                    |
      | {dev:A}/driver_override |
    When the file "{dev:A}/remove" is read
    Then the call fails with EACCES

  @C-MDEV-060 @C-MDEV-022 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario Outline: [15] A type's devices/ holds a link for each of its own mdevs, through an unbind, until each removal (U <relation> T)
    Given a declared mdev type "T" with 2 instances available
    And a declared mdev type "U" <relation> "T"
    And an mdev "A" of type "T"
    And an mdev "B" of type "T"
    Then the mdevs in the devices of type "T" are exactly "{uuid:A}, {uuid:B}"
    And the mdevs in the devices of type "U" are exactly ""
    When "{uuid:B}" is written to "/sys/bus/mdev/drivers/{driver:T}/unbind"
    Then the write returns 36
    And the mdevs in the devices of type "T" are exactly "{uuid:A}, {uuid:B}"
    And these links resolve to:
      | link                      | target  |
      | {type:T}/devices/{uuid:B} | {dev:B} |
    When "1" is written to "{dev:A}/remove"
    Then the write returns 1
    And the mdevs in the devices of type "T" are exactly "{uuid:B}"
    # Created only now, so that a parent counter of 2 shared with T suffices.
    Given an mdev "C" of type "U"
    Then the mdevs in the devices of type "U" are exactly "{uuid:C}"
    And the mdevs in the devices of type "T" are exactly "{uuid:B}"
    When "1" is written to "{dev:B}/remove"
    Then the write returns 1
    And the mdevs in the devices of type "T" are exactly ""
    And the mdevs in the devices of type "U" are exactly "{uuid:C}"
    When "1" is written to "{dev:C}/remove"
    Then the write returns 1
    And the mdevs in the devices of type "U" are exactly ""

    Examples:
      | relation               |
      | of the same parent as  |
      | of another parent than |

  # Which groups a driver adds (the samples' vendor/) is its own choice; that
  # none is left after unbind is the driver core's rule.
  @C-MDEV-062 @C-MDEV-025 @C-MDEV-024 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario Outline: [16] Unbinding an mdev of a type <relation> T takes its driver's attributes away; only the core's entries stay
    Given a declared mdev type "T"
    And a declared mdev type "U" <relation> "T"
    And an mdev "A" of type "U"
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/{driver:U}/unbind"
    Then the write returns 36
    And the directory "{dev:A}" lists exactly "mdev_type, remove, subsystem, uevent", and perhaps "power"
    # The bus matches nothing, so a bind cannot bring them back (C-MDEV-024).
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/{driver:U}/bind"
    Then the call fails with ENODEV
    And the directory "{dev:A}" lists exactly "mdev_type, remove, subsystem, uevent", and perhaps "power"
    When "1" is written to "{dev:A}/remove"
    Then the write returns 1
    And mdev "A" no longer exists

    Examples:
      | relation               |
      | of the same parent as  |
      | of another parent than |
