@role:mdev
Feature: 01 mdev parents and their types
  A device whose driver registers it as an mdev parent gets a
  mdev_supported_types directory with one directory per type it offers, and a
  link /sys/class/mdev_bus/<parent>. Each type directory is named
  <prefix>-<name> (the prefix is the parent's driver, bus or class name) and
  holds create (0200), device_api, name, available_instances (0444), devices/
  and, only when the driver describes its types, description.
  Source: drivers/vfio/mdev/mdev_sysfs.c and mdev_core.c (Linux 6.12).

  The generic scenarios run against the parents and types the implementation
  declares (mdev_parents at the start exchange): "a declared mdev type "T""
  names the first declared type with an instance free. Paths may name {type:T}
  (the directory of type T), {parent:T} (the device directory of its parent),
  {mdev_bus:T} (/sys/class/mdev_bus/<its parent>) and, for an mdev A, {dev:A}
  and {uuid:A}. Scenarios tagged @profile:<driver> check what one sample
  driver does (samples/vfio-mdev, Linux 6.12; measured on a 6.12.117 kernel)
  and run only where that driver's types exist.

  @C-MDEV-001
  Scenario: [1] A parent's mdev_supported_types holds exactly the types it declares
    Given a declared mdev type "T"
    Then these paths exist:
      | path                            | kind |
      | {parent:T}/mdev_supported_types | dir  |
    And the mdev_supported_types of the parent of "T" lists exactly its declared types

  @C-MDEV-001
  Scenario: [2] A second parent's mdev_supported_types holds exactly its own types
    Given a declared mdev type "T"
    And a declared mdev type "U" of another parent than "T"
    Then the mdev_supported_types of the parent of "U" lists exactly its declared types

  @C-MDEV-002
  Scenario: [3] /sys/class/mdev_bus/<parent> is a link to the parent's device directory
    Given a declared mdev type "T"
    Then these links resolve to:
      | link         | target     |
      | {mdev_bus:T} | {parent:T} |

  @C-MDEV-003
  Scenario: [4] Every type directory is named after its parent's driver, bus or class
    Given a declared mdev type "T"
    Then every type directory is named after its parent's driver, bus or class

  @C-MDEV-004 @C-MDEV-005 @kernel>=6.1
  Scenario: [5] A type directory holds the core's files, and a description only if its driver describes types
    Given a declared mdev type "T"
    Then the directory "{type:T}" lists exactly "available_instances, create, device_api, devices, name", and perhaps "description"
    And these paths exist:
      | path                          | kind | mode |
      | {type:T}/create               | file | 0200 |
      | {type:T}/device_api           | file | 0444 |
      | {type:T}/name                 | file | 0444 |
      | {type:T}/available_instances  | file | 0444 |
      | {type:T}/devices              | dir  |      |

  @C-MDEV-004
  Scenario: [6] create cannot be read, and the read-only attributes cannot be written, even by root
    Given a declared mdev type "T"
    When the file "{type:T}/create" is read
    Then the call fails with EACCES
    When "Quad port serial\n" is written to "{type:T}/name"
    Then the call fails with EACCES
    When "99\n" is written to "{type:T}/available_instances"
    Then the call fails with EACCES
    When "vfio-ccw\n" is written to "{type:T}/device_api"
    Then the call fails with EACCES

  @C-MDEV-006 @C-MDEV-007
  Scenario: [7] device_api names a VFIO device API and name reads one line
    Given a declared mdev type "T"
    Then "{type:T}/device_api" reads one of the VFIO device API strings
    And the file "{type:T}/name" reads one line

  @C-MDEV-008
  Scenario: [8] Every available_instances reads an unsigned decimal number and a newline
    Given a declared mdev type "T"
    Then every type's available_instances reads an unsigned decimal number

  @C-MDEV-009
  Scenario: [9] A type stays listed when its parent has no instance left, and creating mdevs adds no type
    Given a declared mdev type "T" counted by the mdev core
    And mdevs of type "T" are created until it shows 0 available
    Then the available instances are:
      | type | available |
      | T    | 0         |
    And the mdev_supported_types of the parent of "T" lists exactly its declared types

  @profile:mtty @C-MDEV-049 @kernel>=6.1
  Scenario Outline: [10] mtty's type <type> is named "<name>", offers vfio-pci and has no description
    Given a parent offering the mdev type "<type>"
    Then these files read:
      | file                     | content    |
      | {type:<type>}/name       | <name>\n   |
      | {type:<type>}/device_api | vfio-pci\n |
    And these paths do not exist:
      | path                      |
      | {type:<type>}/description |
    And the directory "{parent:<type>}/mdev_supported_types" lists exactly "mtty-1, mtty-2"

    Examples:
      | type   | name               |
      | mtty-1 | Single port serial |
      | mtty-2 | Dual port serial   |

  @profile:mdpy @C-MDEV-057 @kernel>=6.1
  Scenario Outline: [11] mdpy's type <type> is named after itself, offers vfio-pci and describes <what>
    Given a parent offering the mdev type "<type>"
    Then these files read:
      | file                      | content                    |
      | {type:<type>}/name        | <type>\n                   |
      | {type:<type>}/device_api  | vfio-pci\n                 |
      | {type:<type>}/description | virtual display, <what>\n  |
    And the directory "{parent:<type>}/mdev_supported_types" lists exactly "mdpy-vga, mdpy-xga, mdpy-hd"

    Examples:
      | type     | what                  |
      | mdpy-vga | 640x480 framebuffer   |
      | mdpy-xga | 1024x768 framebuffer  |
      | mdpy-hd  | 1920x1080 framebuffer |

  @profile:mbochs @C-MDEV-058 @kernel>=6.1
  Scenario Outline: [12] mbochs's type <type> is named after itself, offers vfio-pci and describes <what>
    Given a parent offering the mdev type "<type>"
    Then these files read:
      | file                      | content                    |
      | {type:<type>}/name        | <type>\n                   |
      | {type:<type>}/device_api  | vfio-pci\n                 |
      | {type:<type>}/description | virtual display, <what>\n  |
    And the directory "{parent:<type>}/mdev_supported_types" lists exactly "mbochs-small, mbochs-medium, mbochs-large"

    Examples:
      | type          | what               |
      | mbochs-small  | 4 MB video memory  |
      | mbochs-medium | 16 MB video memory |
      | mbochs-large  | 64 MB video memory |
