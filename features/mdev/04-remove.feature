@role:mdev
Feature: 04 Removing an mdev
  Writing to an mdev's remove file parses the value as an unsigned long with
  kstrtoul in base 0: 0x/0X for hex, a leading 0 for octal, an optional +,
  at most one trailing newline and nothing else. Zero does nothing, any other
  value removes the device, anything else is EINVAL. The remove file deletes
  itself first; the device leaves the bus and its type; the driver is unbound,
  which for a VFIO driver waits until the last user of the VFIO device has
  closed it (5.2 on: the write blocks, it does not fail). While it waits the
  UUID stays taken and the capacity is not yet given back. When the write
  returns, the directory and every link to it are gone, and the remove path
  no longer exists. From 4.10 to 5.1 the core asked the vendor driver first
  and answered EBUSY if it refused.
  Source: drivers/vfio/mdev/mdev_sysfs.c, mdev_core.c, drivers/vfio/vfio_main.c,
  lib/kstrtox.c, fs/kernfs/dir.c (Linux 6.12); the values and the blocking were
  measured on a 6.12.117 kernel. The scenarios run against the types the
  implementation declares (see 01).

  @C-MDEV-028 @C-MDEV-029
  Scenario Outline: [1] Writing <what> to remove removes the device and returns the bytes written
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "<value>" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns the number of bytes written
    And mdev "A" no longer exists

    Examples:
      | what                 | value                |
      | 1                    | 1                    |
      | 1 and a newline      | 1\n                  |
      | 2                    | 2                    |
      | 42                   | 42                   |
      | 0x1                  | 0x1                  |
      | 0X1                  | 0X1                  |
      | 01                   | 01                   |
      | 010 (octal 8)        | 010                  |
      | +1                   | +1                   |
      | ULONG_MAX            | 18446744073709551615 |

  @C-MDEV-027
  Scenario Outline: [2] Writing the zero value <what> to remove succeeds and leaves the device
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "<value>" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns the number of bytes written
    And mdev "A" still exists

    Examples:
      | what            | value |
      | 0               | 0     |
      | 0 and a newline | 0\n   |
      | 00              | 00    |
      | 0x0             | 0x0   |
      | +0              | +0    |

  @C-MDEV-026
  Scenario Outline: [3] Writing <what> to remove is EINVAL and leaves the device
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "<value>" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the call fails with EINVAL
    And mdev "A" still exists

    Examples:
      | what                        | value                |
      | letters                     | abc                  |
      | a negative number           | -1                   |
      | a leading blank             | \x201                |
      | a trailing blank            | 1\x20                |
      | two numbers                 | 1 2                  |
      | a number and letters        | 1abc                 |
      | a number and an x           | 1x                   |
      | two trailing newlines       | 1\n\n                |
      | a newline alone             | \n                   |
      | an 8 in an octal number     | 08                   |
      | 0x without a digit          | 0x                   |
      | one more than ULONG_MAX     | 18446744073709551616 |

  @C-MDEV-026
  Scenario: [4] An empty write to remove returns 0 and leaves the device
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 0
    And mdev "A" still exists

  @C-MDEV-029
  Scenario: [5] Removing through the device directory under the parent works the same
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "1\n" is written to "{dev:A}/remove"
    Then the write returns 2
    And mdev "A" no longer exists

  @C-MDEV-033 @C-MDEV-015
  Scenario: [6] After a removal the remove file is gone: writing it again is ENOENT, and the UUID is free again
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the call fails with ENOENT
    When "1" is written to "{dev:A}/remove"
    Then the call fails with ENOENT
    When "{uuid:A}" is written to "{type:T}/create"
    Then the write returns 36

  @C-MDEV-034 @C-MDEV-036 @kernel>=5.2
  Scenario: [7] Removing an open mdev waits for the last close; its UUID stays taken until then
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    And mdev "A" is open
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove" without waiting
    Then the pending write has not completed after 500 ms
    And these paths do not exist:
      | path                           |
      | /sys/bus/mdev/devices/{uuid:A} |
      | {type:T}/devices/{uuid:A}      |
      | {dev:A}/remove                 |
      | {dev:A}/mdev_type              |
    And these paths exist:
      | path    | kind |
      | {dev:A} | dir  |
    When "{uuid:A}" is written to "{type:T}/create"
    Then the call fails with EEXIST
    When mdev "A" is closed
    Then the pending write returns 1
    And mdev "A" no longer exists

  @C-MDEV-034 @C-MDEV-043 @kernel>=5.2
  Scenario: [8] A removal waits for the last of two opens, not the first
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    And mdev "A" is open twice
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove" without waiting
    And one open of mdev "A" is closed
    Then the pending write has not completed after 300 ms
    When one open of mdev "A" is closed
    Then the pending write returns 1
    And mdev "A" no longer exists

  @C-MDEV-036 @C-MDEV-018 @kernel>=5.2
  Scenario: [9] While a removal waits, a core-counted instance is not yet back; it is once the write returns
    Given a declared mdev type "T" counted by the mdev core
    And an mdev "A" of type "T"
    And mdev "A" is open
    And the available instances are noted
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove" without waiting
    Then the pending write has not completed after 300 ms
    And every type of the parent of "T" shows 0 compared with the noted instances
    When mdev "A" is closed
    Then the pending write returns 1
    And every type of the parent of "T" shows 1 compared with the noted instances

  @C-MDEV-036 @C-MDEV-015 @kernel>=5.2
  Scenario Outline: [10] While a removal waits the UUID is taken on a type <relation> T, and other UUIDs are free
    Given a declared mdev type "T"
    And a declared mdev type "U" <relation> "T"
    And an mdev "A" of type "T"
    And mdev "A" is open
    When "1\n" is written to "/sys/bus/mdev/devices/{uuid:A}/remove" without waiting
    Then the pending write has not completed after 200 ms
    When "{UUID:A}" is written to "{type:U}/create"
    Then the call fails with EEXIST
    When "{uuid}" is written to "{type:U}/create"
    Then the write returns 36
    When mdev "A" is closed
    Then the pending write returns 2

    Examples:
      | relation              |
      | of the same parent as |
      | of another parent than |

  @profile:mtty @C-MDEV-050 @kernel>=5.2
  Scenario Outline: [11] While the removal of an open <type> waits, mtty's ports stay taken; they come back at the close
    Given an mdev "A" of type "<type>"
    And mdev "A" is open
    And the available instances are noted
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove" without waiting
    Then the pending write has not completed after 300 ms
    And the available instances compared with the noted ones are:
      | type   | change |
      | <type> | 0      |
    When mdev "A" is closed
    Then the pending write returns 1
    And the available instances compared with the noted ones are:
      | type   | change |
      | <type> | +1     |

    Examples:
      | type   |
      | mtty-1 |
      | mtty-2 |

  @C-MDEV-037 @kernel>=4.10 @kernel<5.2
  Scenario: [12] Before 5.2 a removal the vendor driver refuses fails with EBUSY and the device stays
    Given an mdev "A" of the type whose driver refuses removal while open
    And mdev "A" is open
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove" without waiting
    Then the pending write fails with EBUSY
    And these paths exist:
      | path                           | kind |
      | /sys/bus/mdev/devices/{uuid:A} | link |

  @C-MDEV-030 @untestable
  Scenario: [13] remove on an mdev whose creation has not finished is EAGAIN
    The window lies inside the create write, between the device appearing on
    the bus and being marked active; no sequence of system calls can stop a
    create there, so no remove can be aimed into it.

  @C-MDEV-032 @untestable
  Scenario: [14] Of several writers to one remove file, one removes and the others wait and succeed
    The others only wait if they entered the write before the winner deleted the
    file; a writer that comes later meets a deleted file. Arranging two writes
    inside that window cannot be done reliably from user space.

  @C-MDEV-035 @untestable
  Scenario: [15] A waiting removal calls the driver's request callback repeatedly and ignores signals
    None of the sample drivers has a request callback, so nothing shows the
    calls; and the contract has no operation that signals the writing task.

  @C-MDEV-036 @C-MDEV-016 @C-MDEV-018 @C-MDEV-017 @kernel>=5.2
  Scenario: [16] On a full core counter, a waiting removal keeps the UUID taken and the instance used; both come free when it returns
    Given a declared mdev type "T" counted by the mdev core
    And an mdev "A" of type "T"
    And mdevs of type "T" are created until it shows 0 available
    And mdev "A" is open
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove" without waiting
    Then the pending write has not completed after 200 ms
    And these paths do not exist:
      | path                           |
      | /sys/bus/mdev/devices/{uuid:A} |
    When "{uuid:A}\n" is written to "{type:T}/create"
    Then the call fails with EEXIST
    When "{uuid}" is written to "{type:T}/create"
    Then the call fails with EUSERS
    And no mdev was created
    When mdev "A" is closed
    Then the pending write returns 1
    And the available instances are:
      | type | available |
      | T    | 1         |
    When "{uuid:A}" is written to "{type:T}/create"
    Then the write returns 36
    And the available instances are:
      | type | available |
      | T    | 0         |
