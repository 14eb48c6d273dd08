@role:mdev
Feature: 01 mdev parents and their types
  A device whose driver registers it as an mdev parent gets a
  mdev_supported_types directory with one directory per type it offers, and a
  link /sys/class/mdev_bus/<parent>. Each type directory is named
  <prefix>-<name> (the prefix is the parent's driver, bus or class name) and
  holds create (0200), device_api, name, available_instances (0444), devices/
  and, only when the driver describes its types, description. The samples
  mtty, mdpy and mbochs are class devices under /sys/devices/virtual.
  Source: drivers/vfio/mdev/mdev_sysfs.c and mdev_core.c, samples/vfio-mdev
  (Linux 6.12); the values were measured on a 6.12.117 kernel.

  Paths may name {type:T} (the directory of type T), {parent:T} (the device
  directory of the parent offering T) and, for an mdev A, {dev:A} and {uuid:A}.

  @C-MDEV-001
  Scenario Outline: [1] The <parent> parent holds exactly its types in mdev_supported_types
    Given a parent offering the mdev type "<type>"
    Then these paths exist:
      | path                                   | kind |
      | {parent:<type>}/mdev_supported_types   | dir  |
    And the directory "{parent:<type>}/mdev_supported_types" lists exactly "<types>"

    Examples:
      | parent | type         | types                                     |
      | mtty   | mtty-1       | mtty-1, mtty-2                            |
      | mdpy   | mdpy-vga     | mdpy-vga, mdpy-xga, mdpy-hd               |
      | mbochs | mbochs-small | mbochs-small, mbochs-medium, mbochs-large |

  @C-MDEV-002
  Scenario Outline: [2] /sys/class/mdev_bus/<parent> is a link to the parent's device directory
    Given a parent offering the mdev type "<type>"
    Then these paths exist:
      | path                       | kind |
      | /sys/class/mdev_bus/<parent> | link |
    And these links resolve to:
      | link                         | target                          |
      | /sys/class/mdev_bus/<parent> | /sys/devices/virtual/<parent>/<parent> |

    Examples:
      | parent | type         |
      | mtty   | mtty-1       |
      | mdpy   | mdpy-vga     |
      | mbochs | mbochs-small |

  @C-MDEV-003
  Scenario: [3] Every type directory is named after its parent's driver, bus or class
    Given a parent offering the mdev type "mtty-1"
    Then every type directory is named after its parent's driver, bus or class

  @C-MDEV-004 @C-MDEV-005 @kernel>=6.1
  Scenario Outline: [4] The <type> type directory holds the core's files<and_description>
    Given a parent offering the mdev type "<type>"
    Then the directory "{type:<type>}" lists exactly "available_instances, create, device_api, devices, name<description>"
    And these paths exist:
      | path                                | kind | mode |
      | {type:<type>}/create                | file | 0200 |
      | {type:<type>}/device_api            | file | 0444 |
      | {type:<type>}/name                  | file | 0444 |
      | {type:<type>}/available_instances   | file | 0444 |
      | {type:<type>}/devices               | dir  |      |

    Examples:
      | type         | description   | and_description         |
      | mtty-1       |               | , and no description    |
      | mdpy-vga     | , description | and a description       |
      | mbochs-large | , description | and a description       |

  @C-MDEV-004
  Scenario: [5] create cannot be read, and the read-only attributes cannot be written, even by root
    Given a parent offering the mdev type "mtty-2"
    When the file "{type:mtty-2}/create" is read
    Then the call fails with EACCES
    When "Quad port serial\n" is written to "{type:mtty-2}/name"
    Then the call fails with EACCES
    When "99\n" is written to "{type:mtty-2}/available_instances"
    Then the call fails with EACCES

  @C-MDEV-005 @C-MDEV-006 @C-MDEV-007 @C-MDEV-049 @kernel>=6.1
  Scenario Outline: [6] mtty's type <type> is named "<name>", offers vfio-pci and has no description
    Given a parent offering the mdev type "<type>"
    Then these files read:
      | file                     | content    |
      | {type:<type>}/name       | <name>\n   |
      | {type:<type>}/device_api | vfio-pci\n |
    And these paths do not exist:
      | path                      |
      | {type:<type>}/description |

    Examples:
      | type   | name               |
      | mtty-1 | Single port serial |
      | mtty-2 | Dual port serial   |

  @C-MDEV-005 @C-MDEV-006 @C-MDEV-007 @C-MDEV-049 @kernel>=6.1
  Scenario Outline: [7] The display type <type> is named after itself, offers vfio-pci and describes <what>
    Given a parent offering the mdev type "<type>"
    Then these files read:
      | file                      | content                    |
      | {type:<type>}/name        | <type>\n                   |
      | {type:<type>}/device_api  | vfio-pci\n                 |
      | {type:<type>}/description | virtual display, <what>\n  |

    Examples:
      | type          | what                    |
      | mdpy-vga      | 640x480 framebuffer     |
      | mdpy-xga      | 1024x768 framebuffer    |
      | mdpy-hd       | 1920x1080 framebuffer   |
      | mbochs-small  | 4 MB video memory       |
      | mbochs-medium | 16 MB video memory      |
      | mbochs-large  | 64 MB video memory      |

  @C-MDEV-008
  Scenario: [8] Every available_instances reads an unsigned decimal number and a newline
    Given a parent offering the mdev type "mtty-1"
    Then every type's available_instances reads an unsigned decimal number

  @C-MDEV-009
  Scenario: [9] A type stays listed when its parent has no instance left, and creating mdevs adds no type
    Given mdevs of type "mdpy-vga" are created until it shows 0 available
    Then the available instances are:
      | type     | available |
      | mdpy-vga | 0         |
      | mdpy-xga | 0         |
      | mdpy-hd  | 0         |
    And the directory "{parent:mdpy-vga}/mdev_supported_types" lists exactly "mdpy-vga, mdpy-xga, mdpy-hd"
