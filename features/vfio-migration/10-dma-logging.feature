@role:vfio-migration
Feature: 10 Device DMA dirty logging
  DMA_LOGGING_START (feature 6, SET; payload page_size u64, num_ranges u32,
  reserved u32, a user pointer to {iova u64, length u64} ranges), STOP
  (feature 7, SET) and REPORT (feature 8, GET; payload iova, length,
  page_size and a user pointer to a u64 bitmap, bit k for the page at
  iova + k * page_size) record the pages the device wrote by DMA. The core
  checks the arguments; a REPORT only ever sets bits and clears the log of the
  window it reported. Whether a second START without STOP is refused is the
  driver's choice (mlx5 and refmig and pds refuse it with EINVAL,
  mtty accepts it). Every scenario needs a device with DMA logging (a PROBE of
  DMA_LOGGING_START succeeds); the report scenarios need the device_dma hook,
  through which the suite makes the device write memory.
  Source: drivers/vfio/vfio_main.c, drivers/iommu/iommufd/iova_bitmap.c,
  include/uapi/linux/vfio.h, samples/vfio-mdev/mtty.c (Linux 6.12).

  @C-MIG-060
  Scenario: [1] START with num_ranges 0 fails with EINVAL
    Given a migratable VFIO device offering DMA logging
    When DMA logging is started on the device with page size 4096 and num_ranges 0
    Then the call fails with EINVAL

  @C-MIG-061
  Scenario: [2] START with more ranges than a page of them holds fails with E2BIG
    Given a migratable VFIO device offering DMA logging
    When DMA logging is started on the device with page size 4096 and num_ranges 100000
    Then the call fails with E2BIG

  @C-MIG-062 @C-MIG-063 @C-MIG-064
  Scenario Outline: [3] START with <why> fails with <errno>
    Given a migratable VFIO device offering DMA logging
    When DMA logging is started on the device with page size <page> over:
      | iova     | length   |
      | <iova1>  | <len1>   |
      | <iova2>  | <len2>   |
    Then the call fails with <errno>

    Examples:
      | why                        | page | iova1                | len1    | iova2              | len2    | errno     |
      | an unaligned iova          | 4096 | 0x1000               | 0x1000  | 0x10800            | 0x1000  | EINVAL    |
      | an unaligned length        | 4096 | 0x1000               | 0x1000  | 0x20000            | 0x1800  | EINVAL    |
      | a range ending past 2^64   | 4096 | 0x1000               | 0x1000  | 0xfffffffffffff000 | 0x2000  | EOVERFLOW |
      | overlapping ranges         | 4096 | 0x100000             | 0x10000 | 0x108000           | 0x10000 | EINVAL    |
      | ranges sharing one page    | 4096 | 0x100000             | 0x10000 | 0x10f000           | 0x1000  | EINVAL    |
      | the same range twice       | 4096 | 0x100000             | 0x10000 | 0x100000           | 0x10000 | EINVAL    |
      | the second inside the first| 4096 | 0x100000             | 0x10000 | 0x104000           | 0x2000  | EINVAL    |
      | the second ending in the first | 4096 | 0x100000         | 0x10000 | 0x0ff000           | 0x2000  | EINVAL    |

  @C-MIG-065
  Scenario: [4] A successful START writes back the page size the device tracks at, a power of two
    Given a migratable VFIO device offering DMA logging
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length   |
      | 0x100000 | 0x10000  |
    Then the call succeeds
    And the page size written back is a power of two

  @C-MIG-067 @C-MIG-068
  Scenario Outline: [5] REPORT with <why> fails with <errno>
    Given a migratable VFIO device offering DMA logging
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When the dirty pages of the device are reported for IOVA <iova> length <length> at page size <page>
    Then the call fails with <errno>

    Examples:
      | why                     | iova               | length  | page | errno     |
      | page size 2048          | 0x100000           | 0x10000 | 2048 | EINVAL    |
      | page size 4095          | 0x100000           | 0x10000 | 4095 | EINVAL    |
      | page size 12288         | 0x100000           | 0x10000 | 12288| EINVAL    |
      | a window past 2^64      | 0xfffffffffffff000 | 0x2000  | 4096 | EOVERFLOW |

  @C-MIG-069 @C-MIG-070
  Scenario: [6] REPORT names exactly the pages the device wrote, then forgets them
    Given a migratable VFIO device offering DMA logging that does DMA
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When the device writes "dma data" to IOVA 0x101000 by DMA
    And the device writes "more" to IOVA 0x10a010 by DMA
    Then memory at IOVA 0x101000 of the device reads "dma data"
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the reported dirty pages are "1, 10"
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the reported dirty pages are "none"

  @C-MIG-069
  Scenario: [7] REPORT only sets bits: bits the caller set stay set
    Given a migratable VFIO device offering DMA logging that does DMA
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When the device writes "x" to IOVA 0x102000 by DMA
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096 into a bitmap with bits "0, 5" set
    Then the reported dirty pages are "0, 2, 5"

  @C-MIG-069
  Scenario: [8] A report at a larger page size sets one bit for every report page the device wrote in
    Given a migratable VFIO device offering DMA logging that does DMA
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When the device writes "x" to IOVA 0x103000 by DMA
    And the device writes "y" to IOVA 0x10c000 by DMA
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 16384
    Then the reported dirty pages are "0, 3"

  @profile:refmig @C-MIG-066
  Scenario: [9] refmig refuses a second START without STOP, and accepts one after STOP
    Given a migratable VFIO device driven by "refmig"
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call fails with EINVAL
    When DMA logging is stopped on the device
    Then the call succeeds
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds

  @profile:mtty @C-MIG-071
  Scenario: [10] mtty accepts a second START and never reports a dirty page
    Given a migratable VFIO device driven by "mtty"
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the reported dirty pages are "none"

  @profile:mtty @C-MIG-071
  Scenario: [11] mtty advertises every migration capability
    Given a migratable VFIO device driven by "mtty"
    When VFIO_DEVICE_FEATURE "GET+MIGRATION" is issued on the device with argsz 16
    Then the payload holds migration flags STOP_COPY+P2P+PRE_COPY

  @profile:refmig @C-MIG-066
  Scenario: [12] refmig tracks at the page size asked for, 4096
    Given a migratable VFIO device driven by "refmig"
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length   |
      | 0x100000 | 0x10000  |
    Then the call succeeds
    And the page size written back is 4096

  @C-MIG-084
  Scenario: [13] A REPORT before any START fails
    Given a migratable VFIO device offering DMA logging
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the call fails

  @C-MIG-084
  Scenario: [14] A REPORT after STOP fails
    Given a migratable VFIO device offering DMA logging
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When DMA logging is stopped on the device
    Then the call succeeds
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the call fails

  @profile:mtty @C-MIG-083
  Scenario: [15] mtty answers a REPORT before any START with success and no bit set
    Given a migratable VFIO device driven by "mtty"
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the reported dirty pages are "none"

  @C-MIG-064 @C-MIG-065
  Scenario Outline: [16] START with two ranges that touch but do not overlap (<where>) succeeds
    A range ends at its last byte, iova + length - 1; one starting on the
    next byte does not overlap it.
    Given a migratable VFIO device offering DMA logging
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length   |
      | 0x100000 | 0x10000  |
      | <iova2>  | <len2>   |
    Then the call succeeds
    And the page size written back is a power of two

    Examples:
      | where                      | iova2    | len2   |
      | the second right after     | 0x110000 | 0x1000 |
      | the second right before    | 0x0ff000 | 0x1000 |

  @C-MIG-070 @C-MIG-069
  Scenario Outline: [17] A REPORT over <half> clears the log of that window only: the other half's page is still reported
    Given a migratable VFIO device offering DMA logging
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When the device writes "low" to IOVA 0x101000 by DMA
    And the device writes "high" to IOVA 0x10f000 by DMA
    And the dirty pages of the device are reported for IOVA <iova> length 0x8000 at page size 4096
    Then the reported dirty pages are "<first>"
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the reported dirty pages are "<rest>"
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the reported dirty pages are "none"

    Examples:
      | half           | iova     | first | rest |
      | the lower half | 0x100000 | 1     | 15   |
      | the upper half | 0x108000 | 7     | 1    |

  @profile:refmig @C-MIG-066
  Scenario Outline: [18] refmig refuses a second START without STOP <how>
    Given a migratable VFIO device driven by "refmig"
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When DMA logging is started on the device with page size <page> over:
      | iova    | length  |
      | <iova>  | 0x10000 |
    Then the call fails with EINVAL
    When DMA logging is stopped on the device
    Then the call succeeds

    Examples:
      | how                             | page | iova     |
      | over a range of its own         | 4096 | 0x200000 |
      | at another page size            | 8192 | 0x100000 |
