@role:vfio-migration
Feature: 08 VFIO_DEVICE_FEATURE argument checks
  VFIO_DEVICE_FEATURE (ioctl 0x3B75 on the device fd) takes an 8-byte header,
  argsz u32 and flags u32 (written here as GET+SET+PROBE+feature; feature id in bits 0-15, GET bit 16, SET bit 17,
  PROBE bit 18, bits 19-31 reserved), then the payload. The core checks, in
  this order: argsz at least 8; no reserved bit; not GET and SET without PROBE;
  the feature exists on this device (ENOTTY); the operations asked for are
  offered (EINVAL); with PROBE, success without touching the payload; without
  PROBE, GET or SET must be asked and argsz - 8 must hold the payload.
  Payload sizes: MIGRATION 8, MIG_DEVICE_STATE 8, MIG_DATA_SIZE 8,
  DMA_LOGGING_START 24, DMA_LOGGING_STOP 0, DMA_LOGGING_REPORT 32.
  Source: drivers/vfio/vfio_main.c vfio_ioctl_device_feature(),
  include/linux/vfio.h vfio_check_feature() (Linux 6.12) and the lab's
  6.12.117 answers. Every payload this feature sends is filled with 0xa5.

  @C-MIG-047 @C-MIG-048 @C-MIG-049 @C-MIG-050 @C-MIG-051 @C-MIG-055 @C-MIG-057
  Scenario Outline: [1] <flags> with argsz <argsz> fails with EINVAL (<why>)
    Given a migratable VFIO device
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz <argsz>
    Then the call fails with EINVAL

    Examples:
      | flags                          | argsz | why                                   |
      | GET+MIGRATION                 | 0     | argsz below the header                |
      | GET+MIGRATION                 | 7     | argsz below the header                |
      | GET+MIGRATION+bit 19         | 16    | reserved bit 19                       |
      | GET+MIGRATION+bit 31         | 16    | reserved bit 31                       |
      | GET+feature 99+bit 31        | 16    | reserved bit before the feature check |
      | GET+SET+MIG_DEVICE_STATE     | 16    | GET and SET without PROBE             |
      | GET+SET+feature 99           | 16    | GET and SET before the feature check  |
      | MIGRATION                      | 16    | neither GET, SET nor PROBE            |
      | MIG_DEVICE_STATE               | 16    | neither GET, SET nor PROBE            |
      | SET+MIGRATION                 | 16    | SET is not offered by MIGRATION       |
      | PROBE+SET+MIGRATION          | 16    | PROBE asks for SET, not offered       |
      | PROBE+GET+SET+MIGRATION     | 16    | PROBE asks for SET, not offered       |
      | GET+MIGRATION                 | 8     | no room for the 8-byte payload        |
      | GET+MIGRATION                 | 15    | payload one byte short                |
      | GET+MIG_DEVICE_STATE          | 15    | payload one byte short                |

    # MIG_DATA_SIZE (feature 9) is not in the 6.1 uAPI: there it is an unknown
    # feature and answers ENOTTY.
    @kernel>=6.2
    Examples: MIG_DATA_SIZE
      | flags                          | argsz | why                                   |
      | SET+MIG_DATA_SIZE             | 16    | SET is not offered by MIG_DATA_SIZE   |
      | PROBE+SET+MIG_DATA_SIZE      | 8     | PROBE asks for SET, not offered       |
      | GET+MIG_DATA_SIZE             | 15    | payload one byte short                |

  @C-MIG-048 @C-MIG-056
  Scenario Outline: [2] <flags> with argsz <argsz> succeeds and leaves the payload untouched
    Given a migratable VFIO device
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz <argsz>
    Then the payload is left untouched

    Examples:
      | flags                              | argsz |
      | PROBE+MIGRATION                   | 8     |
      | PROBE+MIGRATION                   | 9     |
      | PROBE+GET+MIGRATION              | 8     |
      | PROBE+GET+MIGRATION              | 16    |
      | PROBE+GET+SET+MIG_DEVICE_STATE  | 8     |

    @kernel>=6.2
    Examples: MIG_DATA_SIZE
      | flags                              | argsz |
      | PROBE+GET+MIG_DATA_SIZE          | 8     |

  @C-MIG-055 @C-MIG-057
  Scenario Outline: [3] On a device with DMA logging, <flags> with argsz <argsz> fails with EINVAL (<why>)
    The logging features answer ENOTTY on a device without DMA logging before
    any other check, so these rows need a device that has it.
    Given a migratable VFIO device offering DMA logging
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz <argsz>
    Then the call fails with EINVAL

    Examples:
      | flags                          | argsz | why                                   |
      | GET+DMA_LOGGING_START         | 32    | GET is not offered by START           |
      | GET+DMA_LOGGING_STOP          | 8     | GET is not offered by STOP            |
      | SET+DMA_LOGGING_REPORT        | 40    | SET is not offered by REPORT          |
      | SET+DMA_LOGGING_START         | 31    | payload one byte short                |
      | GET+DMA_LOGGING_REPORT        | 39    | payload one byte short                |

  @C-MIG-056
  Scenario Outline: [4] On a device with DMA logging, <flags> with argsz <argsz> succeeds and leaves the payload untouched
    Given a migratable VFIO device offering DMA logging
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz <argsz>
    Then the payload is left untouched

    Examples:
      | flags                              | argsz |
      | PROBE+SET+DMA_LOGGING_START      | 8     |
      | PROBE+DMA_LOGGING_START          | 8     |
      | PROBE+SET+DMA_LOGGING_STOP       | 8     |
      | PROBE+GET+DMA_LOGGING_REPORT     | 8     |

  @C-MIG-052 @C-MIG-053
  Scenario Outline: [5] On a device without migration, <flags> fails with ENOTTY, even as a PROBE
    Given a VFIO device without migration support
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz <argsz>
    Then the call fails with ENOTTY

    Examples:
      | flags                          | argsz |
      | GET+MIGRATION                 | 16    |
      | PROBE+MIGRATION               | 8     |
      | GET+MIG_DEVICE_STATE          | 16    |
      | PROBE+SET+MIG_DEVICE_STATE   | 8     |
      | GET+MIG_DATA_SIZE             | 16    |
      | SET+DMA_LOGGING_START         | 32    |
      | PROBE+SET+DMA_LOGGING_START  | 8     |
      | SET+DMA_LOGGING_STOP          | 8     |
      | GET+DMA_LOGGING_REPORT        | 40    |

  @C-MIG-054 @since:feature-enotty
  Scenario Outline: [6] An unknown feature (<flags>) fails with ENOTTY on every driver
    The core answers ENOTTY itself when the driver has no device_feature hook,
    since upstream commit 16df67f2189a (6.18; stable 6.12.58, 6.6.117 and
    6.1.159); vfio-pci-core drivers always answered ENOTTY. The low-power
    features are not unknown to a vfio-pci-core driver: it enters low power
    (features/vfio-migration/15-vfio-pci-core.feature).
    Given a migratable VFIO device
    When VFIO_DEVICE_FEATURE "<flags>" is issued on the device with argsz 16
    Then the call fails with ENOTTY

    Examples:
      | flags                  |
      | GET+feature 99         |
      | PROBE+feature 0xffff   |
      | PROBE+GET+feature 99   |
      | SET+feature 0xffff     |
      | SET+PCI_VF_TOKEN       |

  @C-MIG-054 @since:feature-enotty
  Scenario: [7] An unknown feature fails with ENOTTY on a device without migration too
    Given a VFIO device without migration support
    When VFIO_DEVICE_FEATURE "GET+feature 99" is issued on the device with argsz 16
    Then the call fails with ENOTTY

  @C-MIG-054 @before:feature-enotty
  Scenario: [8] Before the change an unknown feature fails with EINVAL or ENOTTY, as the driver has a feature hook or not
    Given a migratable VFIO device
    When VFIO_DEVICE_FEATURE "GET+feature 99" is issued on the device with argsz 16
    Then the call fails with EINVAL or ENOTTY

  @C-MIG-002 @C-MIG-047
  Scenario: [9] GET of MIGRATION writes the advertised flags into the payload
    Given a migratable VFIO device advertising STOP_COPY+P2P+PRE_COPY
    When VFIO_DEVICE_FEATURE "GET|MIGRATION" is issued on the device with argsz 16
    Then the payload holds migration flags STOP_COPY+P2P+PRE_COPY
