@role:mdev
Feature: 06 The VFIO device of an mdev
  When an mdev's VFIO driver probes, the mdev joins a new IOMMU group of its
  own, named vfio-noiommu, gains an iommu_group link, and /dev/vfio/<N>
  appears without the noiommu- prefix real no-IOMMU groups get (5.16 on). The
  group goes away with the device. The VFIO device opens through the mdev's
  sysfs path /sys/bus/mdev/devices/<uuid>; its first open reaches the driver's
  open_device and its last close the driver's close_device. The three samples
  are vfio-pci devices; mtty's devices migrate (migration flags 0x7:
  STOP_COPY, P2P and PRE_COPY), mdpy's and mbochs's do not, so the VFIO core
  answers their migration feature with ENOTTY. An mdev's uevent file names
  its driver and, in mainline, no MODALIAS.
  Source: drivers/vfio/group.c, vfio_main.c, mdev/mdev_driver.c,
  samples/vfio-mdev (Linux 6.12); measured on a 6.12.117 kernel.

  {group:A} is the number of mdev A's IOMMU group.

  @C-MDEV-041 @kernel>=5.16
  Scenario Outline: [1] An mdev of type <type> sits alone in its own vfio-noiommu IOMMU group with a /dev/vfio node
    Given an mdev "A" of type "<type>"
    Then these links resolve to:
      | link                                             | target                               |
      | {dev:A}/iommu_group                              | /sys/kernel/iommu_groups/{group:A}   |
      | /sys/kernel/iommu_groups/{group:A}/devices/{uuid:A} | {dev:A}                           |
    And the directory "/sys/kernel/iommu_groups/{group:A}/devices" lists exactly "{uuid:A}"
    And these files read:
      | file                                    | content         |
      | /sys/kernel/iommu_groups/{group:A}/name | vfio-noiommu\n  |
    And these paths exist:
      | path                | kind |
      | /dev/vfio/{group:A} | char |
    And these paths do not exist:
      | path                        |
      | /dev/vfio/noiommu-{group:A} |

    Examples:
      | type         |
      | mtty-2       |
      | mdpy-vga     |
      | mbochs-large |

  @C-MDEV-042 @kernel>=5.16
  Scenario: [2] The IOMMU group of an mdev goes away with the mdev
    Given an mdev "A" of type "mtty-1"
    When "1" is written to "/sys/bus/mdev/devices/{uuid:A}/remove"
    Then the write returns 1
    And these paths do not exist:
      | path                               |
      | /sys/kernel/iommu_groups/{group:A} |
      | /dev/vfio/{group:A}                |

  @C-MDEV-040 @C-MDEV-056 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario Outline: [3] The uevent of an mdev of type <type> names its driver <driver> and carries no MODALIAS
    Given an mdev "A" of type "<type>"
    Then these files read:
      | file            | content          |
      | {dev:A}/uevent  | DRIVER=<driver>\n |

    Examples:
      | type          | driver |
      | mtty-2        | mtty   |
      | mdpy-xga      | mdpy   |
      | mbochs-medium | mbochs |

  @C-MDEV-049 @C-MDEV-043
  Scenario: [4] An mtty mdev's VFIO device opens through its sysfs path and reports migration flags 0x7
    Given an mdev "A" of type "mtty-2"
    And mdev "A" is open
    When the migration flags of mdev "A" are read
    Then the migration flags read 0x7

  @C-MDEV-049
  Scenario Outline: [5] The VFIO device of an mdev of type <type> opens but does not migrate: its migration feature is ENOTTY
    Given an mdev "A" of type "<type>"
    And mdev "A" is open
    When the migration flags of mdev "A" are read
    Then the call fails with ENOTTY

    Examples:
      | type          |
      | mdpy-hd       |
      | mbochs-small  |

  @C-MDEV-043
  Scenario: [6] Only the last close of an mdev's VFIO device reaches the driver's close_device
    Given an mdev "A" of type "mtty-2"
    And mdev "A" is open twice
    And the VFIO device of mdev "A" is in STOP_COPY with a data fd
    When one open of mdev "A" is closed
    And the data fd of mdev "A" is read
    Then the call succeeds
    When one open of mdev "A" is closed
    And the data fd of mdev "A" is read
    Then the call fails with ENODEV

  @C-MDEV-044 @untestable
  Scenario: [7] Through the device cdev a second open is EINVAL, through the group several opens are allowed
    The contract's open_device lets the implementation choose the cdev or the
    group interface, so the suite cannot ask for one or the other.
