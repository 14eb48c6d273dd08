@role:mdev
Feature: 06 The VFIO device of an mdev
  When an mdev's VFIO driver probes, the mdev joins a new IOMMU group of its
  own, named vfio-noiommu, gains an iommu_group link, and /dev/vfio/<N>
  appears without the noiommu- prefix real no-IOMMU groups get (5.16 on). The
  group goes away with the device. The VFIO device opens through the mdev's
  sysfs path /sys/bus/mdev/devices/<uuid>; its first open reaches the driver's
  open_device and its last close the driver's close_device. An mdev's uevent
  file names its driver and, in mainline, no MODALIAS. Of the samples
  (@profile:), mtty's devices migrate with flags 0x7 (STOP_COPY, P2P and
  PRE_COPY); mdpy's and mbochs's do not, so the VFIO core answers their
  migration feature with ENOTTY.
  Source: drivers/vfio/group.c, vfio_main.c, mdev/mdev_driver.c,
  samples/vfio-mdev (Linux 6.12); measured on a 6.12.117 kernel.

  {group:A} is the number of mdev A's IOMMU group.

  @C-MDEV-041 @kernel>=5.16
  Scenario: [1] An mdev sits alone in its own vfio-noiommu IOMMU group with a /dev/vfio node
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    Then these links resolve to:
      | link                                                | target                             |
      | {dev:A}/iommu_group                                 | /sys/kernel/iommu_groups/{group:A} |
      | /sys/kernel/iommu_groups/{group:A}/devices/{uuid:A} | {dev:A}                            |
    And the directory "/sys/kernel/iommu_groups/{group:A}/devices" lists exactly "{uuid:A}"
    And these files read:
      | file                                    | content        |
      | /sys/kernel/iommu_groups/{group:A}/name | vfio-noiommu\n |
    And these paths exist:
      | path                | kind |
      | /dev/vfio/{group:A} | char |
    And these paths do not exist:
      | path                        |
      | /dev/vfio/noiommu-{group:A} |

  @C-MDEV-041 @kernel>=5.16
  Scenario: [2] A second mdev gets a group of its own, and so does an mdev of another parent
    Given a declared mdev type "T" with 2 instances available
    And a declared mdev type "U" of another parent than "T"
    And an mdev "A" of type "T"
    And an mdev "B" of type "T"
    And an mdev "C" of type "U"
    Then the directory "/sys/kernel/iommu_groups/{group:B}/devices" lists exactly "{uuid:B}"
    And the directory "/sys/kernel/iommu_groups/{group:C}/devices" lists exactly "{uuid:C}"
    And the directory "/sys/kernel/iommu_groups/{group:A}/devices" lists exactly "{uuid:A}"

  @C-MDEV-042 @kernel>=5.16
  Scenario: [3] The IOMMU group of an mdev goes away with the mdev
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    And these paths do not exist:
      | path                               |
      | /sys/kernel/iommu_groups/{group:A} |
      | /dev/vfio/{group:A}                |

  @C-MDEV-040 @C-MDEV-056 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario: [4] The uevent of an mdev names its driver and carries no MODALIAS
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    Then these files read:
      | file           | content             |
      | {dev:A}/uevent | DRIVER={driver:T}\n |

  @C-MDEV-043
  Scenario: [5] Only the last close of an mdev's VFIO device reaches the driver's close_device
    Given a declared mdev type "T" whose mdevs migrate
    And an mdev "A" of type "T"
    And mdev "A" is open twice
    And the VFIO device of mdev "A" is in STOP_COPY with a data fd
    When one open of mdev "A" is closed
    And the data fd of mdev "A" is read
    Then the call succeeds
    When one open of mdev "A" is closed
    And the data fd of mdev "A" is read
    Then the call fails

  # mtty gained migration in 6.7; before that its device answers ENOTTY to GET of MIGRATION.
  @profile:mtty @C-MDEV-049 @kernel>=6.7
  Scenario: [6] An mtty mdev's VFIO device opens through its sysfs path and reports migration flags 0x7
    Given an mdev "A" of type "mtty-2"
    And mdev "A" is open
    When the migration flags of mdev "A" are read
    Then the migration flags read 0x7

  @profile:mdpy @C-MDEV-057
  Scenario: [7] The VFIO device of an mdpy mdev opens but does not migrate: its migration feature is ENOTTY
    Given an mdev "A" of type "mdpy-hd"
    And mdev "A" is open
    When the migration flags of mdev "A" are read
    Then the call fails with ENOTTY

  @profile:mbochs @C-MDEV-058
  Scenario: [8] The VFIO device of an mbochs mdev opens but does not migrate: its migration feature is ENOTTY
    Given an mdev "A" of type "mbochs-small"
    And mdev "A" is open
    When the migration flags of mdev "A" are read
    Then the call fails with ENOTTY

  @C-MDEV-061 @kernel>=6.6
  Scenario Outline: [9] The VFIO device of <which> has one vfio-dev node of its own, numbered as it is named
    Given a declared mdev type "T" with 2 instances available
    And a declared mdev type "U" of another parent than "T"
    And an mdev "A" of type "T"
    And an mdev "B" of type "T"
    And an mdev "C" of type "U"
    Then the directory "{dev:<mdev>}/vfio-dev" lists exactly "{vfio:<mdev>}"
    And these links resolve to:
      | link                                          | target                              |
      | {dev:<mdev>}/vfio-dev/{vfio:<mdev>}/device    | {dev:<mdev>}                        |
      | {dev:<mdev>}/vfio-dev/{vfio:<mdev>}/subsystem | /sys/class/vfio-dev                 |
      | /sys/class/vfio-dev/{vfio:<mdev>}             | {dev:<mdev>}/vfio-dev/{vfio:<mdev>} |
    And the vfio-dev node of mdev "<mdev>" is numbered as it is named
    And these paths do not exist:
      | path                                     |
      | {dev:<other>}/vfio-dev/{vfio:<mdev>}     |
      | {dev:<another>}/vfio-dev/{vfio:<mdev>}   |

    Examples:
      | which                     | mdev | other | another |
      | the first mdev of a type  | A    | B     | C       |
      | a second mdev of the type | B    | A     | C       |
      | an mdev of another parent | C    | A     | B       |

  @C-MDEV-063 @C-MDEV-034 @kernel>=6.6
  Scenario Outline: [10] A removal waiting for the last of <opens> takes the vfio-dev node and its cdev away at once
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    And mdev "A" is <opened>
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove" without waiting
    Then the pending write has not completed after 200 ms
    And these paths do not exist:
      | path                           |
      | {dev:A}/vfio-dev               |
      | /sys/class/vfio-dev/{vfio:A}   |
      | /dev/vfio/devices/{vfio:A}     |
    When mdev "A" is closed
    Then the pending write returns 1
    And mdev "A" no longer exists
    And these paths do not exist:
      | path                           |
      | /sys/class/vfio-dev/{vfio:A}   |
      | /dev/vfio/devices/{vfio:A}     |

    Examples:
      | opens     | opened     |
      | one open  | open       |
      | two opens | open twice |
