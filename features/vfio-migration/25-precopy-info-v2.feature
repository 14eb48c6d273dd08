@role:vfio-migration
Feature: 25 VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2: flags as an output of VFIO_MIG_GET_PRECOPY_INFO
  Until Linux 7.1 the drivers copied struct vfio_precopy_info in from the
  caller and back out without touching flags, so the field echoes what the
  caller passed and can never carry news. Linux 7.1 adds feature 12,
  VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2: a SET with no payload opts the open
  device in, and from then on every driver (through the core's
  vfio_check_precopy_ioctl()) clears flags before answering, so that flags is
  0 or VFIO_PRECOPY_INFO_REINIT (bit 0: new initial data is on the stream).
  The core checks PRE_COPY before the operation, so on a device without
  PRE_COPY every request for feature 12 is EINVAL. The opt-in lives on the
  device and is cleared at its last close. "flags at most 1" below means no
  bit other than REINIT.
  Source: drivers/vfio/vfio_main.c vfio_ioctl_device_feature_migration_precopy_info_v2(),
  vfio_df_device_last_close(); include/linux/vfio.h vfio_check_precopy_ioctl();
  include/uapi/linux/vfio.h (Linux 7.1; commits 50ff3f404617, c995498636c7, d7140b5dde45).

  @C-MIG-110 @since:precopy-info-v2
  Scenario Outline: [1] SET of MIG_PRECOPY_INFOv2 with argsz <argsz> succeeds on a device with PRE_COPY
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    When VFIO_DEVICE_FEATURE "SET+MIG_PRECOPY_INFOv2" is issued on the device with argsz <argsz>
    Then the call succeeds

    Examples:
      | argsz |
      | 8     |
      | 16    |

  @C-MIG-110 @since:precopy-info-v2
  Scenario: [2] PROBE of SET of MIG_PRECOPY_INFOv2 succeeds and leaves the payload untouched
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    When VFIO_DEVICE_FEATURE "PROBE+SET+MIG_PRECOPY_INFOv2" is issued on the device with argsz 16
    Then the payload is left untouched

  @C-MIG-110 @since:precopy-info-v2
  Scenario Outline: [3] <flags> fails with EINVAL: the opt-in offers SET only
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz 16
    Then the call fails with EINVAL

    Examples:
      | flags                        |
      | GET+MIG_PRECOPY_INFOv2       |
      | PROBE+GET+MIG_PRECOPY_INFOv2 |

  @C-MIG-111 @since:precopy-info-v2
  Scenario Outline: [4] <flags> on a device advertising exactly <offered> fails with EINVAL
    Given a migratable VFIO device advertising <offered>
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz 16
    Then the call fails with EINVAL

    Examples:
      | offered       | flags                        |
      | STOP_COPY     | SET+MIG_PRECOPY_INFOv2       |
      | STOP_COPY     | PROBE+SET+MIG_PRECOPY_INFOv2 |
      | STOP_COPY+P2P | SET+MIG_PRECOPY_INFOv2       |
      | STOP_COPY+P2P | PROBE+SET+MIG_PRECOPY_INFOv2 |

  @C-MIG-111 @since:precopy-info-v2
  Scenario Outline: [5] <flags> on a device without migration fails with EINVAL
    Given a VFIO device without migration support
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz 16
    Then the call fails with EINVAL

    Examples:
      | flags                        |
      | SET+MIG_PRECOPY_INFOv2       |
      | PROBE+SET+MIG_PRECOPY_INFOv2 |

  @C-MIG-112 @since:precopy-info-v2
  Scenario Outline: [6] After the opt-in, caller flags <flags> do not come back: flags is at most REINIT
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    When VFIO_DEVICE_FEATURE "SET+MIG_PRECOPY_INFOv2" is issued on the device with argsz 8
    Then the call succeeds
    Given the device has reached state PRE_COPY
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24 and flags <flags>
    Then the pre-copy info reports:
      | flags | at most 1 |
      | argsz | 24        |

    Examples:
      | flags      |
      | 0          |
      | 2          |
      | 5          |
      | 4294967295 |

  @C-MIG-112 @since:precopy-info-v2
  Scenario: [7] An opt-in made while the saving fd is open applies to it, in PRE_COPY_P2P too
    Given a migratable VFIO device offering STOP_COPY+P2P+PRE_COPY
    And the device has reached state PRE_COPY_P2P
    When VFIO_DEVICE_FEATURE "SET+MIG_PRECOPY_INFOv2" is issued on the device with argsz 8
    Then the call succeeds
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24 and flags 6
    Then the pre-copy info reports:
      | flags | at most 1 |

  @C-MIG-113 @C-MIG-035 @since:precopy-info-v2
  Scenario Outline: [8] After the last close the opt-in is gone: caller flags <flags> come back as passed
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    When VFIO_DEVICE_FEATURE "SET+MIG_PRECOPY_INFOv2" is issued on the device with argsz 8
    Then the call succeeds
    When the device is closed and opened again
    And the device is set to RUNNING
    And the device is set to PRE_COPY
    Then a new data fd is returned
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24 and flags <flags>
    Then the pre-copy info reports:
      | flags | <flags> |

    Examples:
      | flags |
      | 2     |
      | 6     |

  @C-MIG-113 @C-MIG-035 @since:precopy-info-v2
  Scenario: [9] The opt-in of one device does not reach a second one
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY
    And a second migratable VFIO device "other" like the first
    When VFIO_DEVICE_FEATURE "SET+MIG_PRECOPY_INFOv2" is issued on the device with argsz 8
    Then the call succeeds
    Given device "other" has reached state PRE_COPY
    When VFIO_MIG_GET_PRECOPY_INFO is issued on the data fd with argsz 24 and flags 5
    Then the pre-copy info reports:
      | flags | 5 |

  @C-MIG-114 @C-MIG-054 @since:feature-enotty @before:precopy-info-v2
  Scenario Outline: [10] Before Linux 7.1, <flags> is an unknown feature on <device>: ENOTTY
    Given <device>
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz 16
    Then the call fails with ENOTTY

    Examples:
      | device                                       | flags                        |
      | a migratable VFIO device offering STOP_COPY+PRE_COPY | SET+MIG_PRECOPY_INFOv2 |
      | a migratable VFIO device offering STOP_COPY+PRE_COPY | PROBE+SET+MIG_PRECOPY_INFOv2 |
      | a VFIO device without migration support      | SET+MIG_PRECOPY_INFOv2       |
