@role:vfio-migration
Feature: 28 DMA logging as drivers limit it
  The core takes up to PAGE_SIZE/16 ranges in DMA_LOGGING_START (256 at 4 KiB
  pages) and hands them to the driver; a device that tracks fewer (mlx5's
  pg_track_max_num_range and pds's max_regions are 8-bit values) has them
  combined by vfio_combine_iova_ranges(), which closes the smallest gaps, so
  the log may grow but never loses an asked page. The page size is a hint the
  driver may change and writes back. STOP without START, a REPORT without
  logging and logging across the last close are the driver's to answer.
  Reports here cover one asked range each, or a window starting on a multiple
  of 64 pages from its range, since pds finds its region by the window's start.
  In 6.12 the core pins the user's bitmap page by page while the driver sets
  bits (iova_bitmap_set()) and a page it cannot pin is skipped without an
  error, so a REPORT into a partly unmapped bitmap has no errno to check; the
  contract allocates every bitmap, so the case is not asked.
  Source: drivers/vfio/vfio_main.c, drivers/iommu/iommufd/iova_bitmap.c,
  drivers/vfio/pci/mlx5/cmd.c, drivers/vfio/pci/pds/dirty.c (Linux 6.12).

  @C-MIG-230 @C-MIG-061 @arch:x86_64
  Scenario Outline: [1] START with <n> ranges of one page <answer>
    Given a migratable VFIO device offering DMA logging
    When DMA logging is started on the device with page size 4096 over <n> ranges of one page, every 2 pages from IOVA 0x100000
    Then the call <answer>

    Examples:
      | n   | answer            |
      | 255 | succeeds          |
      | 256 | succeeds          |
      | 257 | fails with E2BIG  |

  @C-MIG-231 @C-MIG-069 @arch:x86_64
  Scenario Outline: [2] With <n> ranges asked, a page written in the first, a middle and the last range is reported
    Given a migratable VFIO device offering DMA logging that does DMA
    And 2048 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over <n> ranges of one page, every 2 pages from IOVA 0x100000
    When the device writes "a" to IOVA 0x100000 by DMA
    And the device writes "b" to IOVA <middle> by DMA
    And the device writes "c" to IOVA <last> by DMA
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x1000 at page size 4096
    Then the reported dirty pages are "0"
    When the dirty pages of the device are reported for IOVA <middle> length 0x1000 at page size 4096
    Then the reported dirty pages are "0"
    When the dirty pages of the device are reported for IOVA <last> length 0x1000 at page size 4096
    Then the reported dirty pages are "0"

    Examples:
      | n   | middle   | last     |
      | 3   | 0x102000 | 0x104000 |
      | 255 | 0x200000 | 0x280000 |
      | 256 | 0x200000 | 0x2fe000 |

  @profile:refmig @C-MIG-232
  Scenario Outline: [3] refmig with <n> ranges (its limit is 4): the page in the smallest gap is <logged>
    Gaps grow from one page (between the first two ranges) to four; the
    device writes a page of the first range, the page in the first gap and
    the page in the second.
    Given a migratable VFIO device driven by "refmig"
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over the first <n> ranges of:
      | iova     | length |
      | 0x100000 | 0x1000 |
      | 0x102000 | 0x1000 |
      | 0x105000 | 0x1000 |
      | 0x109000 | 0x1000 |
      | 0x10e000 | 0x1000 |
      | 0x10f000 | 0x1000 |
    When the device writes "a" to IOVA 0x100000 by DMA
    And the device writes "b" to IOVA 0x101000 by DMA
    And the device writes "c" to IOVA 0x103000 by DMA
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the reported dirty pages are "<pages>"

    Examples:
      | n | logged                            | pages |
      | 3 | not logged (below the limit)      | 0     |
      | 4 | not logged (at the limit)         | 0     |
      | 5 | logged (one above: one combine)   | 0, 1  |
      | 6 | logged (two above: the last two touch and go first) | 0, 1 |

  @profile:refmig @C-MIG-232
  Scenario: [4] refmig with 256 ranges closes the gap between the two lowest first
    Given a migratable VFIO device driven by "refmig"
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over 256 ranges of one page, every 2 pages from IOVA 0x100000
    When the device writes "gap" to IOVA 0x101000 by DMA
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x3000 at page size 4096
    Then the reported dirty pages are "1"

  @profile:refmig @C-MIG-233
  Scenario Outline: [5] refmig writes back page size <back> for a hint of <hint>
    Given a migratable VFIO device driven by "refmig"
    When DMA logging is started on the device with page size <hint> over:
      | iova     | length  |
      | 0x100000 | 0x30000 |
    Then the call succeeds
    And the page size written back is <back>

    Examples:
      | hint  | back  |
      | 2048  | 4096  |
      | 12288 | 4096  |
      | 8192  | 8192  |
      | 65536 | 65536 |

  @profile:refmig @C-MIG-234
  Scenario: [6] refmig answers STOP before any START, and a second STOP, with success
    Given a migratable VFIO device driven by "refmig"
    When DMA logging is stopped on the device
    Then the call succeeds
    When DMA logging is stopped on the device
    Then the call succeeds

  @profile:refmig @C-MIG-234
  Scenario: [7] refmig answers STOP after STOP with success and a REPORT then with EINVAL
    Given a migratable VFIO device driven by "refmig"
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When DMA logging is stopped on the device
    And DMA logging is stopped on the device
    Then the call succeeds
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the call fails with EINVAL

  @profile:refmig @C-MIG-234
  Scenario: [8] refmig stops logging at the last close: after a reopen a REPORT is EINVAL
    Given a migratable VFIO device driven by "refmig"
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When the device is closed and opened again
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the call fails with EINVAL

  @profile:refmig @C-MIG-234
  Scenario: [9] refmig stops logging at the last close: after a reopen a START succeeds
    Given a migratable VFIO device driven by "refmig"
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When the device is closed and opened again
    And DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds

  @profile:mlx5_vfio_pci @C-MIG-235
  Scenario: [10] mlx5 with 256 ranges (above any pg_track_max_num_range) logs the gap between the two lowest
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over 256 ranges of one page, every 2 pages from IOVA 0x100000
    When the device writes "gap" to IOVA 0x101000 by DMA
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x3000 at page size 4096
    Then the reported dirty pages are "1"

  @profile:mlx5_vfio_pci @C-MIG-236
  Scenario Outline: [11] mlx5 writes back page size <back> for a hint of <hint>
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    When DMA logging is started on the device with page size <hint> over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds
    And the page size written back is <back>

    Examples:
      | hint  | back  |
      | 2048  | 4096  |
      | 4096  | 4096  |
      | 65536 | 65536 |

  @profile:mlx5_vfio_pci @C-MIG-237
  Scenario: [12] mlx5 answers STOP before START with 0 and a REPORT then with EINVAL
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    When DMA logging is stopped on the device
    Then the call succeeds
    When DMA logging is stopped on the device
    Then the call succeeds
    When the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the call fails with EINVAL

  @profile:mlx5_vfio_pci @C-MIG-237
  Scenario: [13] mlx5 refuses a second START, and stops logging at the last close
    Given a migratable VFIO device driven by "mlx5_vfio_pci"
    And DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call fails with EINVAL
    When the device is closed and opened again
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the call fails with EINVAL
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds

  @profile:pds_vfio_pci @C-MIG-238
  Scenario: [14] pds with 256 ranges (above any max_regions) logs the gap between the two lowest
    Given a migratable VFIO device driven by "pds_vfio_pci"
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And DMA logging runs on the device with page size 4096 over 256 ranges of one page, every 2 pages from IOVA 0x100000
    When the device writes "gap" to IOVA 0x101000 by DMA
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x3000 at page size 4096
    Then the reported dirty pages are "1"

  @profile:pds_vfio_pci @C-MIG-239
  Scenario Outline: [15] pds keeps the hint of <hint> as its page size
    Given a migratable VFIO device driven by "pds_vfio_pci"
    When DMA logging is started on the device with page size <hint> over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    Then the call succeeds
    And the page size written back is <hint>

    Examples:
      | hint  |
      | 8192  |
      | 65536 |

  @profile:pds_vfio_pci @C-MIG-239
  Scenario: [16] pds answers STOP before START with 0, a second START with EINVAL, and stops logging at the last close
    Given a migratable VFIO device driven by "pds_vfio_pci"
    When DMA logging is stopped on the device
    Then the call succeeds
    Given DMA logging runs on the device with page size 4096 over:
      | iova     | length  |
      | 0x100000 | 0x10000 |
    When DMA logging is started on the device with page size 4096 over:
      | iova     | length  |
      | 0x200000 | 0x10000 |
    Then the call fails with EINVAL
    When the device is closed and opened again
    And the dirty pages of the device are reported for IOVA 0x100000 length 0x10000 at page size 4096
    Then the call fails with EINVAL
