@role:mdev
Feature: 05 Unregistering a parent
  A parent is unregistered when its driver lets it go; for the samples that is
  when their module is unloaded. From that moment creates and removes on it
  fail with ENODEV; the mdev_bus link goes, every child mdev is removed without
  asking anyone (each removal waiting while that child is open), then the type
  directories and mdev_supported_types go, and a change uevent with
  MDEV_STATE=unregistered follows. The children are destroyed, not orphaned.
  An open VFIO device holds a reference on the module that owns its driver, so
  a sample module cannot be unloaded while one of its mdevs is open
  (delete_module answers EAGAIN, which rmmod reports as "in use").
  Source: drivers/vfio/mdev/mdev_core.c, drivers/vfio/vfio_main.c,
  kernel/module/main.c (Linux 6.12).

  Unloading needs a parent whose module the implementation declares
  (mdev_parents[].module) and can unload; one that has it built in answers that
  it cannot unload, and these scenarios skip.

  @C-MDEV-038 @C-MDEV-042
  Scenario: [1] Unloading a parent's module removes its mdevs with their IOMMU groups, its types, its mdev_supported_types and its mdev_bus link
    Given a declared mdev type "T" whose parent's module can be unloaded
    And a declared mdev type "U" of the same parent as "T"
    And an mdev "A" of type "T"
    And an mdev "B" of type "U"
    When the module of the parent of "T" is unloaded
    Then the call succeeds
    And mdev "A" no longer exists
    And mdev "B" no longer exists
    And these paths do not exist:
      | path                               |
      | {mdev_bus:T}                       |
      | {type:T}                           |
      | {type:U}                           |
      | {parent:T}/mdev_supported_types    |
      | /sys/kernel/iommu_groups/{group:A} |
      | /dev/vfio/{group:A}                |
      | /sys/kernel/iommu_groups/{group:B} |
      | /dev/vfio/{group:B}                |

  @C-MDEV-038
  Scenario: [2] Unloading one parent's module leaves the other parents and their mdevs alone
    Given a declared mdev type "T" whose parent's module can be unloaded
    And a declared mdev type "U" of another parent than "T"
    And an mdev "A" of type "T"
    And an mdev "C" of type "U"
    When the module of the parent of "T" is unloaded
    Then the call succeeds
    And mdev "A" no longer exists
    And mdev "C" still exists
    And these links resolve to:
      | link         | target     |
      | {mdev_bus:U} | {parent:U} |

  @C-MDEV-045
  Scenario: [3] A module cannot be unloaded while one of its mdevs is open, and can once it is closed
    Given a declared mdev type "T" whose parent's module can be unloaded
    And an mdev "A" of type "T"
    And mdev "A" is open
    When the module of the parent of "T" is unloaded
    Then the call fails with EAGAIN
    And mdev "A" still exists
    And these links resolve to:
      | link         | target     |
      | {mdev_bus:T} | {parent:T} |
    When mdev "A" is closed
    And the module of the parent of "T" is unloaded
    Then the call succeeds
    And mdev "A" no longer exists

  @C-MDEV-038 @untestable
  Scenario: [4] Unregistering a parent waits while one of its mdevs is open
    The samples unregister their parent only when their module is unloaded,
    and an open mdev pins that module (scenario [3]), so the unregistration
    never starts while a child is open. Parents that unregister otherwise
    (a PCI parent whose driver is unbound) are not part of the contract's devices.

  @C-MDEV-021 @C-MDEV-031 @untestable
  Scenario: [5] Creates and removes that start while a parent is unregistering fail with ENODEV
    With the sample parents the unregistration runs to its end inside one
    delete_module call without waiting (nothing can be open, see [4]), so no
    create or remove can start while it is under way.

  @C-MDEV-039 @untestable
  Scenario: [6] Registering and unregistering a parent send MDEV_STATE change uevents
    Uevents travel over a netlink socket; the contract offers sysfs and device
    operations only, and the uevent file of the parent does not keep the
    MDEV_STATE variable of a past event.

  @C-MDEV-045
  Scenario Outline: [7] With two of its mdevs open the module stays held until the second is closed: the second of type <second>
    Given a declared mdev type "T" whose parent's module can be unloaded
    And a declared mdev type "U" of the same parent as "T"
    And an mdev "A" of type "T"
    And an mdev "B" of type "<second>"
    And mdev "A" is open
    And mdev "B" is open
    When the module of the parent of "T" is unloaded
    Then the call fails with EAGAIN
    When mdev "A" is closed
    And the module of the parent of "T" is unloaded
    Then the call fails with EAGAIN
    And mdev "A" still exists
    And mdev "B" still exists
    When mdev "B" is closed
    And the module of the parent of "T" is unloaded
    Then the call succeeds
    And mdev "A" no longer exists
    And mdev "B" no longer exists

    Examples:
      | second |
      | T      |
      | U      |
