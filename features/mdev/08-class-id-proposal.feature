@role:mdev
Feature: 08 The 2019 class-id proposal, and what mainline did instead
  Historical. In autumn 2019 Jason Wang's series "mdev based hardware virtio
  offloading support" (first posted on 23 September 2019, V12 in November)
  proposed to make mdev bus-agnostic: every mdev would get a class id (1 =
  VFIO, 2 = virtio) set by the vendor's create callback, a create whose callback set none would fail
  with EINVAL before the device reached the bus, the generic drivers vfio_mdev
  and virtio_mdev would bind only mdevs whose class is in their id table, and
  the uevent would carry MODALIAS=mdev:c<class> for module autoloading. In the
  same months mlx5 sub-functions were proposed as mdevs. Neither reached
  mainline: virtio offload got its own vDPA bus (5.7), sub-functions the
  auxiliary bus (5.11), and since 5.14 an mdev parent names the one driver the
  core attaches at create, with bus matching switched off. Mainline mdevs
  carry no class id anywhere.

  The @proposal:mdev-class-id scenarios describe the proposal. They run only
  against an implementation that declares it (options.proposals); the
  reference does with TCK_PROPOSAL=mdev-class-id, rendering the proposal on
  top of its mainline core with two extra parents: mvnet (type mvnet-loopback,
  virtio class) and noclass (type noclass-unclassed, whose create callback
  assigns no class). Mainline scenarios that the proposal would change are
  tagged @not-proposal:mdev-class-id and skip in that mode.
  Source: the "mdev based hardware virtio offloading support" series with its
  "mdev: class id support" patch, from the first posting (23 September 2019)
  to V12 (November 2019), kvm and virtualization lists; the "virtio: fixes, vdpa" pull for 5.7;
  include/linux/mdev.h and drivers/vfio/mdev/mdev_driver.c (Linux 6.12).

  @C-MDEV-056 @kernel>=5.14 @not-proposal:mdev-class-id
  Scenario: [1] Mainline: an mdev carries no class, and its driver is its parent's own
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    Then these files read:
      | file           | content             |
      | {dev:A}/uevent | DRIVER={driver:T}\n |
    And these links resolve to:
      | link           | target                           |
      | {dev:A}/driver | /sys/bus/mdev/drivers/{driver:T} |
    And these paths do not exist:
      | path                              |
      | /sys/bus/mdev/drivers/vfio_mdev   |
      | /sys/bus/mdev/drivers/virtio_mdev |

  @C-MDEV-054 @proposal:mdev-class-id
  Scenario: [2] Proposal: a create whose vendor callback assigns no class fails with EINVAL and creates nothing
    Given a parent offering the mdev type "noclass-unclassed"
    When "{uuid}" is written to "{type:noclass-unclassed}/create"
    Then the call fails with EINVAL
    And no mdev was created

  @C-MDEV-055 @proposal:mdev-class-id
  Scenario: [3] Proposal: a VFIO-class mdev is bound by vfio_mdev and announces MODALIAS mdev:c01
    Given a declared mdev type "T"
    And an mdev "A" of type "T"
    Then these links resolve to:
      | link           | target                          |
      | {dev:A}/driver | /sys/bus/mdev/drivers/vfio_mdev |
    And these files read:
      | file           | content                                  |
      | {dev:A}/uevent | DRIVER=vfio_mdev\nMODALIAS=mdev:c01\n    |

  @C-MDEV-055 @proposal:mdev-class-id
  Scenario: [4] Proposal: a virtio-class mdev is bound by virtio_mdev, announces mdev:c02 and is no VFIO device
    Given an mdev "A" of type "mvnet-loopback"
    Then these links resolve to:
      | link           | target                            |
      | {dev:A}/driver | /sys/bus/mdev/drivers/virtio_mdev |
    And these files read:
      | file           | content                                    |
      | {dev:A}/uevent | DRIVER=virtio_mdev\nMODALIAS=mdev:c02\n    |
    And these paths do not exist:
      | path                |
      | {dev:A}/iommu_group |
