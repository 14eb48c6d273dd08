@role:vfio-migration
Feature: 27 The device cdev and iommufd: BIND, ATTACH and the group beside them
  Since Linux 6.6 a VFIO device can be opened through its cdev,
  /dev/vfio/devices/vfioN, instead of its group. A cdev fd grants nothing until
  VFIO_DEVICE_BIND_IOMMUFD (ioctl 0x3B76, struct vfio_device_bind_iommufd:
  argsz u32, flags u32, iommufd s32, out_devid u32) binds it to an iommufd
  (/dev/iommu): before that every other ioctl, read and write of the device fd
  is EINVAL. BIND writes out_devid, the device's object id in the iommufd (ids
  start at 1). A device has one cdev user at a time, while its group may give
  out several fds; the group and the cdev exclude each other.
  VFIO_DEVICE_ATTACH_IOMMUFD_PT (0x3B77: argsz, flags, pt_id) attaches the
  device to an IOAS of that iommufd (IOMMU_IOAS_ALLOC, 0x3B81, allocates one),
  VFIO_DEVICE_DETACH_IOMMUFD_PT (0x3B78: argsz, flags) detaches it.
  These scenarios need an implementation that opens cdevs and iommufds
  (open_cdev, open_device_via and iommufd_open); elsewhere they are not applicable.
  Source: drivers/vfio/device_cdev.c, drivers/vfio/vfio_main.c
  vfio_device_fops_unl_ioctl() and vfio_df_open(), drivers/vfio/group.c,
  drivers/iommu/iommufd/main.c (Linux 6.12).

  @C-MIG-220
  Scenario Outline: [1] Before BIND, <call> on the cdev fd fails with EINVAL
    Given the cdev of a migratable VFIO device, opened and not bound
    When <call>
    Then the call fails with EINVAL

    Examples:
      | call                                                                 |
      | VFIO_DEVICE_GET_INFO is issued on the device with argsz 24           |
      | VFIO_DEVICE_FEATURE "GET+MIGRATION" is issued on the device with argsz 16 |
      | VFIO_DEVICE_FEATURE "PROBE+GET+MIGRATION" is issued on the device with argsz 8 |
      | the device is reset                                                  |
      | 0x00 is written to region 7 of the device at offset 60               |

  @C-MIG-220 @C-MIG-221
  Scenario: [2] A failed BIND grants nothing: GET_INFO is still EINVAL
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    When VFIO_DEVICE_BIND_IOMMUFD is issued on the device with argsz 15, flags 0 and the iommufd
    Then the call fails with EINVAL
    When VFIO_DEVICE_GET_INFO is issued on the device with argsz 24
    Then the call fails with EINVAL

  @C-MIG-221
  Scenario Outline: [3] BIND with argsz <argsz>, flags <flags> and <iommufd> fails with EINVAL
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    When VFIO_DEVICE_BIND_IOMMUFD is issued on the device with argsz <argsz>, flags <flags> and <iommufd>
    Then the call fails with EINVAL

    Examples:
      | argsz | flags      | iommufd     |
      | 0     | 0          | the iommufd |
      | 15    | 0          | the iommufd |
      | 16    | 2          | the iommufd |
      | 16    | 2147483648 | the iommufd |
      | 16    | 0          | iommufd -1  |

  @C-MIG-222
  Scenario Outline: [4] BIND naming <iommufd> fails with <errno>
    Given the cdev of a migratable VFIO device, opened and not bound
    When VFIO_DEVICE_BIND_IOMMUFD is issued on the device with argsz 16, flags 0 and <iommufd>
    Then the call fails with <errno>

    Examples:
      | iommufd                | errno  |
      | an fd that is not open | EBADF  |
      | the device's own fd    | EBADFD |

  @C-MIG-223 @C-MIG-220 @C-MIG-221
  Scenario Outline: [5] BIND with argsz <argsz> writes a device id, and then the device answers
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    When VFIO_DEVICE_BIND_IOMMUFD is issued on the device with argsz <argsz>, flags 0 and the iommufd
    Then BIND wrote a device id
    When VFIO_DEVICE_GET_INFO is issued on the device with argsz 24
    Then the call succeeds
    When VFIO_DEVICE_FEATURE "GET+MIGRATION" is issued on the device with argsz 16
    Then the call succeeds

    Examples:
      | argsz |
      | 16    |
      | 17    |

  @C-MIG-223
  Scenario: [6] A second BIND on a bound cdev fd fails with EINVAL
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    And the device is bound to the iommufd
    When the device is bound to the iommufd
    Then the call fails with EINVAL
    When VFIO_DEVICE_GET_INFO is issued on the device with argsz 24
    Then the call succeeds

  @C-MIG-223
  Scenario: [7] A second BIND naming another iommufd fails with EINVAL too
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    And the device is bound to the iommufd
    When an iommufd is opened
    And the device is bound to the iommufd
    Then the call fails with EINVAL

  @C-MIG-224
  Scenario: [8] While one cdev fd of a device is bound, BIND on a second one fails with EINVAL until the first is closed
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    And the device is bound to the iommufd
    When the cdev of the device is opened again as device "second"
    And device "second" is bound to the iommufd
    Then the call fails with EINVAL
    When VFIO_DEVICE_GET_INFO is issued on device "second" with argsz 24
    Then the call fails with EINVAL
    When the device is closed
    And device "second" is bound to the iommufd
    Then BIND wrote a device id

  @C-MIG-224
  Scenario: [9] While the device is open through its cdev, a second cdev fd of it cannot bind
    Given a migratable VFIO device opened through its cdev
    When the cdev of the device is opened again as device "second"
    And an iommufd is opened
    And device "second" is bound to the iommufd
    Then the call fails with EINVAL

  @C-MIG-227
  Scenario: [10] Through the group a device gives out a second fd while the first is open
    Given a migratable VFIO device opened through its group
    When the group of the device is opened again as device "second"
    Then the call succeeds
    When VFIO_DEVICE_GET_INFO is issued on device "second" with argsz 24
    Then the call succeeds

  @C-MIG-225
  Scenario: [11] BIND on an fd opened through the group fails with EINVAL
    Given a migratable VFIO device opened through its group
    And an iommufd is opened
    When the device is bound to the iommufd
    Then the call fails with EINVAL

  @C-MIG-225
  Scenario: [12] While the group is open, BIND on a cdev fd of its device fails with EBUSY
    Given a migratable VFIO device opened through its group
    And an iommufd is opened
    When the cdev of the device is opened again as device "cdev"
    And device "cdev" is bound to the iommufd
    Then the call fails with EBUSY

  @C-MIG-225
  Scenario: [13] While a cdev fd is bound, opening the group of its device fails with EBUSY
    Given a migratable VFIO device opened through its cdev
    When the group of the device is opened again as device "group"
    Then the call fails with EBUSY

  @C-MIG-226
  Scenario Outline: [14] ATTACH with argsz <argsz>, flags <flags> and <pt> fails with <errno>
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    And the device is bound to the iommufd
    And an IOAS is allocated on the iommufd
    When VFIO_DEVICE_ATTACH_IOMMUFD_PT is issued on the device with argsz <argsz>, flags <flags> and <pt>
    Then the call fails with <errno>

    Examples:
      | argsz | flags | pt            | errno  |
      | 11    | 0     | the IOAS      | EINVAL |
      | 12    | 1     | the IOAS      | EINVAL |
      | 12    | 0     | pt_id 4096    | ENOENT |
      | 12    | 0     | pt_id 0       | ENOENT |

  @C-MIG-226
  Scenario Outline: [15] ATTACH with argsz <attach> to an IOAS of the bound iommufd succeeds, twice, and DETACH with argsz <detach> succeeds
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    And the device is bound to the iommufd
    And an IOAS is allocated on the iommufd
    When VFIO_DEVICE_ATTACH_IOMMUFD_PT is issued on the device with argsz <attach>, flags 0 and the IOAS
    Then the call succeeds
    When VFIO_DEVICE_ATTACH_IOMMUFD_PT is issued on the device with argsz <attach>, flags 0 and the IOAS
    Then the call succeeds
    When VFIO_DEVICE_DETACH_IOMMUFD_PT is issued on the device with argsz <detach> and flags 0
    Then the call succeeds

    Examples:
      | attach | detach |
      | 12     | 8      |
      | 13     | 9      |

  @C-MIG-226
  Scenario Outline: [16] DETACH with argsz <argsz> and flags <flags> fails with EINVAL
    Given the cdev of a migratable VFIO device, opened and not bound
    And an iommufd is opened
    And the device is bound to the iommufd
    When VFIO_DEVICE_DETACH_IOMMUFD_PT is issued on the device with argsz <argsz> and flags <flags>
    Then the call fails with EINVAL

    Examples:
      | argsz | flags |
      | 7     | 0     |
      | 8     | 1     |
