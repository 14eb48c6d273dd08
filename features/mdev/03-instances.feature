@role:mdev
Feature: 03 Counting instances
  available_instances comes from one of two kinds of count. A driver with a
  get_available callback counts for itself: the core sets no limit, and the
  driver refuses a create in its probe, whose errno create returns (mtty and
  mbochs: ENOSPC); what it frees comes back when the VFIO device is released.
  A driver without one leaves the counting to the core: one counter per parent,
  started at max_instances and shared by all its types; an empty counter makes
  create fail with EUSERS, and an instance comes back at the mdev's final
  release (mdpy, 6.1 on; before 6.1 mdpy counted for itself and refused with
  ENOMEM). The samples: mtty shares 24 ports between mtty-1 (one port) and
  mtty-2 (two); mdpy shares 4 instances between its three types; mbochs shares
  256 MB between small (4 MB), medium (16 MB) and large (64 MB).
  Source: drivers/vfio/mdev/mdev_core.c, mdev_sysfs.c, samples/vfio-mdev
  (Linux 6.12); the numbers were measured on a 6.12.117 kernel.

  A host may already have mdevs, so the scenarios note available_instances and
  check how it changes.

  @C-MDEV-046 @C-MDEV-019
  Scenario: [1] mtty-1 and mtty-2 take one and two ports from the pool they share
    Given a parent offering the mdev type "mtty-2"
    And the available instances are noted
    When "{uuid}" is written to "{type:mtty-2}/create"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type   | change |
      | mtty-1 | -2     |
      | mtty-2 | -1     |
    Given the available instances are noted
    When "{Uuid}" is written to "{type:mtty-1}/create"
    Then the call fails with EEXIST
    Given an mdev "B" of type "mtty-1"
    Then the available instances compared with the noted ones are:
      | type   | change |
      | mtty-1 | -1     |

  @C-MDEV-046 @C-MDEV-019 @C-MDEV-020 @kernel>=5.14
  Scenario: [2] When mtty's ports run out its probe refuses with ENOSPC and nothing is created
    Given mdevs of type "mtty-2" are created until it shows 0 available
    When "{uuid}\n" is written to "{type:mtty-2}/create"
    Then the call fails with ENOSPC
    And no mdev was created

  @C-MDEV-047 @C-MDEV-017 @C-MDEV-018 @kernel>=6.1
  Scenario Outline: [3] An mdpy-<kind> takes one instance from the counter all mdpy types share
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

  @C-MDEV-047 @C-MDEV-017 @kernel>=6.1
  Scenario: [4] With mdpy's counter at 0 every mdpy type refuses with EUSERS and nothing is created
    Given mdevs of type "mdpy-hd" are created until it shows 0 available
    Then the available instances are:
      | type     | available |
      | mdpy-vga | 0         |
      | mdpy-xga | 0         |
    When "{uuid}" is written to "{type:mdpy-vga}/create"
    Then the call fails with EUSERS
    When "{uuid}\n" is written to "{type:mdpy-xga}/create"
    Then the call fails with EUSERS
    When "{uuid}" is written to "{type:mdpy-hd}/create"
    Then the call fails with EUSERS
    And no mdev was created

  @C-MDEV-047 @kernel<6.1
  Scenario: [5] Before 6.1 mdpy counts for itself and refuses a create beyond its count with ENOMEM
    Given mdevs of type "mdpy-vga" are created until it shows 0 available
    When "{uuid}" is written to "{type:mdpy-hd}/create"
    Then the call fails with ENOMEM
    And no mdev was created

  @C-MDEV-018 @C-MDEV-047 @kernel>=6.1
  Scenario: [6] Removing an mdpy mdev gives its instance back to all three types
    Given an mdev "A" of type "mdpy-xga"
    And mdevs of type "mdpy-vga" are created until it shows 0 available
    And the available instances are noted
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    And the available instances compared with the noted ones are:
      | type     | change |
      | mdpy-vga | +1     |
      | mdpy-xga | +1     |
      | mdpy-hd  | +1     |

  @C-MDEV-048 @C-MDEV-019
  Scenario: [7] An mbochs-large takes 64 MB from the budget all mbochs types share
    Given a parent offering the mdev type "mbochs-large"
    And the available instances are noted
    When "{uuid}" is written to "{type:mbochs-large}/create"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type          | change |
      | mbochs-small  | -16    |
      | mbochs-medium | -4     |
      | mbochs-large  | -1     |

  @C-MDEV-048 @C-MDEV-019 @C-MDEV-020 @kernel>=6.1
  Scenario: [8] With 48 MB left mbochs refuses a large one with ENOSPC while small and medium still fit
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

  @C-MDEV-050 @C-MDEV-018 @C-MDEV-019 @kernel>=6.1 @not-proposal:mdev-class-id
  Scenario Outline: [9] Unbinding an mdev of type <type> gives <when_back>
    Given an mdev "A" of type "<type>"
    And the available instances are noted
    When "{uuid:A}" is written to "/sys/bus/mdev/drivers/<driver>/unbind"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type   | change        |
      | <type> | <after_unbind> |
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    And the available instances compared with the noted ones are:
      | type   | change |
      | <type> | +1     |

    Examples:
      | type         | driver | after_unbind | when_back                                                   |
      | mtty-2       | mtty   | +1           | its ports back at once: the driver counts them               |
      | mbochs-small | mbochs | +1           | its memory back at once: the driver counts it                |
      | mdpy-vga     | mdpy   | 0            | its instance back only at removal: the core counts it        |

  @C-MDEV-020 @untestable
  Scenario: [10] A probe that asks to be deferred makes create fail with EAGAIN
    No sample driver defers its probe, so no write to create can make one do so.

  @C-MDEV-018 @untestable
  Scenario: [11] An instance taken by a create that fails after counting comes back at the final release
    With the samples the only failures after the core has counted are an
    allocation failure and a parent that starts to unregister in the same
    moment; neither can be brought about through sysfs.
