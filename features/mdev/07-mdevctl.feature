@role:mdev
Feature: 07 What mdevctl relies on
  mdevctl keeps mdev definitions as JSON files in /etc/mdevctl.d/<parent>/<uuid>
  (mdev_type, start auto or manual, attrs as a list of one-key objects) and
  starts the auto ones when a parent announces itself with a MDEV_STATE=registered
  change uevent (add on older kernels). It reads active devices from sysfs only,
  creates an mdev by writing the lower-case UUID without a newline to create
  once available_instances is above 0, and stops one by writing 1 to remove.
  Only that last part is kernel behaviour, and scenario [1] checks it. The rest
  is user space, listed here so every clause of the digest has its place.
  Source: mdevctl README.md, src/mdev.rs, 60-mdevctl.rules.

  @C-MDEV-052
  Scenario: [1] An mdev created and stopped the way mdevctl does it comes and goes
    Given a declared mdev type "T"
    And the available instances are noted
    When "{uuid}" is written to "{type:T}/create"
    Then the write returns 36
    And the available instances compared with the noted ones are:
      | type   | change |
      | T      | -1     |
    When "1" is written to "/sys/bus/mdev/devices/{uuid}/remove"
    Then the write returns 1
    And the available instances compared with the noted ones are:
      | type   | change |
      | T      | 0      |

  @C-MDEV-051 @untestable
  Scenario: [2] mdevctl keeps a defined device as JSON under /etc/mdevctl.d
    This is the file format of a user-space tool; the kernel interfaces the
    contract drives never see it.

  @C-MDEV-053 @untestable
  Scenario: [3] mdevctl starts a parent's auto definitions on its registered uevent
    This is a udev rule of a user-space tool reacting to a uevent; neither the
    rule nor the uevent is reachable through the contract.
