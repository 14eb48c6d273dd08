@role:vfio-migration
Feature: 11 What each state means for the device
  In STOP the device performs no DMA and changes no state, yet still answers
  config space. STOP_COPY behaves as STOP while its stream is read. In
  RUNNING_P2P and PRE_COPY_P2P it initiates no peer-to-peer DMA. Entering
  PRE_COPY does not change how the device runs. DMA is observed through the
  device_dma hook (the suite asks the device to write memory mapped at an
  IOVA); an implementation without it skips those scenarios.
  Source: include/uapi/linux/vfio.h (Linux 6.12).

  @C-MIG-043 @C-MIG-046
  Scenario Outline: [1] In <state> the device performs no DMA, yet answers config space
    Given a migratable VFIO device offering STOP_COPY that does DMA
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And the device has reached state <state>
    When the device writes "dma" to IOVA 0x100000 by DMA
    Then memory at IOVA 0x100000 of the device reads 0x000000
    And the config space of the device answers

    Examples:
      | state     |
      | STOP      |
      | STOP_COPY |

  @profile:refmig @C-MIG-079
  Scenario Outline: [2] In <state> a write to refmig's registers changes nothing
    refmig keeps plain read-write registers in BAR0 (region 0), so the
    device's internal state is observable there.
    Given a migratable VFIO device driven by "refmig"
    And 0x11 is written to region 0 of the device at offset 8
    And the device has reached state <state>
    When 0x22 is written to region 0 of the device at offset 8
    Then region 0 of the device at offset 8 reads 0x11

    Examples:
      | state     |
      | STOP      |
      | STOP_COPY |

  @C-MIG-044
  Scenario Outline: [3] In <state> the device initiates no peer-to-peer DMA but keeps other DMA
    Given a migratable VFIO device offering STOP_COPY+P2P+PRE_COPY that does DMA
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And the device has reached state <state>
    When the device writes "peer" to IOVA 0x100000 by peer-to-peer DMA
    And the device writes "host" to IOVA 0x101000 by DMA
    Then memory at IOVA 0x100000 of the device reads 0x00000000
    And memory at IOVA 0x101000 of the device reads "host"

    Examples:
      | state        |
      | RUNNING_P2P  |
      | PRE_COPY_P2P |

  @C-MIG-045
  Scenario: [4] In PRE_COPY the device keeps running: its DMA lands, peer-to-peer included
    Given a migratable VFIO device offering STOP_COPY+PRE_COPY that does DMA
    And 64 KiB of memory is mapped at IOVA 0x100000 for the device
    And the device has reached state PRE_COPY
    When the device writes "peer" to IOVA 0x100000 by peer-to-peer DMA
    And the device writes "host" to IOVA 0x101000 by DMA
    Then memory at IOVA 0x100000 of the device reads "peer"
    And memory at IOVA 0x101000 of the device reads "host"

  @profile:refmig @C-MIG-079
  Scenario: [5] In PRE_COPY refmig's register writes take effect
    Given a migratable VFIO device driven by "refmig"
    And the device has reached state PRE_COPY
    When 0x33 is written to region 0 of the device at offset 8
    Then region 0 of the device at offset 8 reads 0x33
