@role:mdev
Feature: 03 Counting instances
  available_instances comes from one of two kinds of count. A driver with a
  get_available callback counts for itself: the core sets no limit, and the
  driver refuses a create in its probe, whose errno create returns. A driver
  without one leaves the counting to the core: one counter per parent,
  started at the driver's max_instances and shared by all its types; an empty
  counter makes create fail with EUSERS, and an instance comes back at the
  mdev's final release, not when its driver is unbound. The implementation
  declares which kind each type has (mdev_parents[].types[].count).
  Source: drivers/vfio/mdev/mdev_core.c, mdev_sysfs.c (Linux 6.12).

  The samples (@profile:): mtty shares 24 ports between mtty-1 (one port) and
  mtty-2 (two); mdpy shares the core's counter of 4 between its three types
  (before 6.1 it counted for itself and refused with ENOMEM); mbochs shares
  256 MB between small (4 MB), medium (16 MB) and large (64 MB). Source:
  samples/vfio-mdev (Linux 6.12); the numbers were measured on a 6.12.117
  kernel.

  A host may already have mdevs, so the scenarios note available_instances and
  check how it changes.

  @C-MDEV-017 @C-MDEV-018
  Scenario: [1] A create takes one instance from the counter every type of its parent shares
    Given a declared mdev type "T" counted by the mdev core
    And the available instances are noted
    When "{uuid}" is written to "{type:T}/create"
    Then the write returns 36
    And every type of the parent of "T" shows -1 compared with the noted instances

  @C-MDEV-017 @C-MDEV-018
  Scenario: [2] A create under another type of the parent takes from the same counter
    Given a declared mdev type "T" counted by the mdev core
    And a declared mdev type "U" of the same parent as "T"
    And an mdev "A" of type "T"
    And the available instances are noted
    When "{uuid}\n" is written to "{type:U}/create"
    Then the write returns 37
    And every type of the parent of "T" shows -1 compared with the noted instances

  @C-MDEV-017
  Scenario: [3] With the parent's counter at 0 every type of the parent refuses with EUSERS and nothing is created
    Given a declared mdev type "T" counted by the mdev core
    And mdevs of type "T" are created until it shows 0 available
    When "{uuid}" is written to "{type:T}/create"
    Then the call fails with EUSERS
    And no mdev was created
    When "{uuid}\n" is written to "{type:T}/create"
    Then the call fails with EUSERS
    And no mdev was created

  @C-MDEV-017
  Scenario: [4] With the counter at 0 a sibling type shows 0 and refuses with EUSERS too
    Given a declared mdev type "T" counted by the mdev core
    And a declared mdev type "U" of the same parent as "T"
    And mdevs of type "T" are created until it shows 0 available
    Then the available instances are:
      | type | available |
      | U    | 0         |
    When "{uuid}" is written to "{type:U}/create"
    Then the call fails with EUSERS
    And no mdev was created

  @C-MDEV-017 @C-MDEV-018
  Scenario Outline: [5] At <left> available a create succeeds and every type of the parent shows <after>
    Given a declared mdev type "T" counted by the mdev core
    And a declared mdev type "U" of the same parent as "T"
    And mdevs of type "T" are created until it shows <left> available
    When "{uuid}" is written to "{type:U}/create"
    Then the write returns 36
    And the available instances are:
      | type | available |
      | T    | <after>   |
      | U    | <after>   |

    Examples:
      | left | after |
      | 2    | 1     |
      | 1    | 0     |

  @C-MDEV-018
  Scenario: [6] Removing an mdev gives its instance back to every type of the parent, and a create fits again
    Given a declared mdev type "T" counted by the mdev core
    And an mdev "A" of type "T"
    And mdevs of type "T" are created until it shows 0 available
    And the available instances are noted
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    And every type of the parent of "T" shows 1 compared with the noted instances
    When "{uuid}" is written to "{type:T}/create"
    Then the write returns 36

  @C-MDEV-018 @C-MDEV-024 @kernel>=6.1 @not-proposal:mdev-class-id
  Scenario: [7] Unbinding an mdev does not give its instance back, nor does a refused bind; its removal does
    Given a declared mdev type "T" counted by the mdev core
    And an mdev "A" of type "T"
    And the available instances are noted
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/{driver:T}/unbind"
    Then the write returns 36
    And every type of the parent of "T" shows 0 compared with the noted instances
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/{driver:T}/bind"
    Then the call fails with ENODEV
    And every type of the parent of "T" shows 0 compared with the noted instances
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    And every type of the parent of "T" shows 1 compared with the noted instances

  @C-MDEV-019 @C-MDEV-020
  Scenario: [8] A type its driver counts refuses a create once it shows 0, and nothing is created
    Given a declared mdev type "T" counted by its driver
    And mdevs of type "T" are created until it shows 0 available
    When "{uuid}\n" is written to "{type:T}/create"
    Then the call fails
    And no mdev was created

  @C-MDEV-019
  Scenario: [9] A type its driver counts gives its capacity back once a removal has returned
    Given a declared mdev type "T" counted by its driver
    And the available instances are noted
    And an mdev "A" of type "T"
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    And the available instances compared with the noted ones are:
      | type | change |
      | T    | 0      |

  @profile:mtty @C-MDEV-046
  Scenario: [10] mtty-1 and mtty-2 take one and two ports from the pool they share
    Given a parent offering the mdev type "mtty-2"
    And the available instances are noted
    When "{uuid}" is written to "{type:mtty-2}/create"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type   | change |
      | mtty-1 | -2     |
      | mtty-2 | -1     |
    Given the available instances are noted
    And an mdev "B" of type "mtty-1"
    Then the available instances compared with the noted ones are:
      | type   | change |
      | mtty-1 | -1     |
      | mtty-2 | 0      |

  @profile:mtty @C-MDEV-046 @kernel>=5.14
  Scenario: [11] When mtty's ports run out, also through the other type, its probe refuses with ENOSPC and nothing is created
    Given mdevs of type "mtty-1" are created until it shows 0 available
    Then the available instances are:
      | type   | available |
      | mtty-2 | 0         |
    When "{uuid}\n" is written to "{type:mtty-2}/create"
    Then the call fails with ENOSPC
    And no mdev was created

  @profile:mdpy @C-MDEV-047 @kernel>=6.1
  Scenario Outline: [12] An mdpy-<kind> takes one instance from the counter all mdpy types share
    Given a parent offering the mdev type "mdpy-<kind>"
    And the available instances are noted
    When "{uuid}" is written to "{type:mdpy-<kind>}/create"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type     | change |
      | mdpy-vga | -1     |
      | mdpy-xga | -1     |
      | mdpy-hd  | -1     |

    Examples:
      | kind |
      | vga  |
      | hd   |

  @profile:mdpy @C-MDEV-047 @kernel>=6.1
  Scenario: [13] With mdpy's counter at 0 every mdpy type refuses with EUSERS
    Given mdevs of type "mdpy-hd" are created until it shows 0 available
    Then the available instances are:
      | type     | available |
      | mdpy-vga | 0         |
      | mdpy-xga | 0         |
    When "{uuid}" is written to "{type:mdpy-vga}/create"
    Then the call fails with EUSERS
    When "{uuid}\n" is written to "{type:mdpy-xga}/create"
    Then the call fails with EUSERS
    And no mdev was created

  @profile:mdpy @C-MDEV-047 @kernel<6.1
  Scenario: [14] Before 6.1 mdpy counts for itself and refuses a create beyond its count with ENOMEM
    Given mdevs of type "mdpy-vga" are created until it shows 0 available
    When "{uuid}" is written to "{type:mdpy-hd}/create"
    Then the call fails with ENOMEM
    And no mdev was created

  @profile:mbochs @C-MDEV-048
  Scenario: [15] An mbochs-large takes 64 MB from the budget all mbochs types share
    Given a parent offering the mdev type "mbochs-large"
    And the available instances are noted
    When "{uuid}" is written to "{type:mbochs-large}/create"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type          | change |
      | mbochs-small  | -16    |
      | mbochs-medium | -4     |
      | mbochs-large  | -1     |

  @profile:mbochs @C-MDEV-048 @kernel>=6.1
  Scenario: [16] With 48 MB left mbochs refuses a large one with ENOSPC while small and medium still fit
    Given mdevs of type "mbochs-small" are created until it shows 12 available
    Then the available instances are:
      | type          | available |
      | mbochs-small  | 12        |
      | mbochs-medium | 3         |
      | mbochs-large  | 0         |
    When "{uuid}" is written to "{type:mbochs-large}/create"
    Then the call fails with ENOSPC
    And no mdev was created
    When "{uuid}" is written to "{type:mbochs-medium}/create"
    Then the write returns 36

  @profile:mtty @C-MDEV-050 @kernel>=6.1 @not-proposal:mdev-class-id
  Scenario: [17] Unbinding an mtty-2 gives its ports back at once: the driver counts them
    Given an mdev "A" of type "mtty-2"
    And the available instances are noted
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/mtty/unbind"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type   | change |
      | mtty-2 | +1     |
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    And the available instances compared with the noted ones are:
      | type   | change |
      | mtty-2 | +1     |

  @profile:mbochs @C-MDEV-059 @kernel>=6.1 @not-proposal:mdev-class-id
  Scenario: [18] Unbinding an mbochs-small gives its memory back at once: the driver counts it
    Given an mdev "A" of type "mbochs-small"
    And the available instances are noted
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/mbochs/unbind"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type         | change |
      | mbochs-small | +1     |

  @C-MDEV-020 @untestable
  Scenario: [19] A probe that asks to be deferred makes create fail with EAGAIN
    No driver can be made to defer its probe through sysfs, so no write to
    create can make one do so.

  @C-MDEV-018 @untestable
  Scenario: [20] An instance taken by a create that fails after counting comes back at the final release
    The only failures after the core has counted are an allocation failure and
    a parent that starts to unregister in the same moment; neither can be
    brought about through sysfs.
