@role:vfio-migration
Feature: 05 The migration data fd
  A SET whose final arc opens a transfer returns a new data_fd: read-only for
  saving (STOP_COPY, PRE_COPY, PRE_COPY_P2P), write-only for RESUMING, created
  close-on-exec. It is a stream: positional I/O and seeking fail with ESPIPE,
  the wrong direction with EBADF, any driver ioctl but VFIO_MIG_GET_PRECOPY_INFO
  with ENOTTY (the ioctls the VFS answers for every fd, FIOCLEX, FIONCLEX,
  FIONBIO and FIOASYNC, are not driver ioctls: fs/ioctl.c do_vfs_ioctl()). In
  STOP_COPY read() ends with 0, never ENOMSG. Leaving the transfer's states
  ends the fd; closing it changes nothing on the device.
  Source: include/uapi/linux/vfio.h, drivers/vfio/vfio_main.c,
  samples/vfio-mdev/mtty.c (Linux 6.12), and the lab's 6.12.117 answers.

  @C-MIG-018 @C-MIG-019 @C-MIG-016
  Scenario Outline: [1] The data fd of <state> is close-on-exec and <access>
    Given a migratable VFIO device offering <flags>
    And the device has reached state STOP
    When the device is set to <state>
    Then a new data fd is returned
    And the data fd is close-on-exec and <access>

    Examples:
      | state     | flags              | access     |
      | STOP_COPY | STOP_COPY          | read-only  |
      | RESUMING  | STOP_COPY          | write-only |
      | PRE_COPY  | STOP_COPY+PRE_COPY | read-only  |

  @C-MIG-019 @C-MIG-020
  Scenario Outline: [2] <syscall> on a <state> data fd fails with <errno>
    Given a migratable VFIO device
    And the device has reached state <state>
    When the data fd is used with <syscall>
    Then the call fails with <errno>

    Examples:
      | state     | syscall | errno  |
      | STOP_COPY | write   | EBADF  |
      | STOP_COPY | pread   | ESPIPE |
      | STOP_COPY | pwrite  | ESPIPE |
      | STOP_COPY | lseek   | ESPIPE |
      | RESUMING  | read    | EBADF  |
      | RESUMING  | pread   | ESPIPE |
      | RESUMING  | pwrite  | ESPIPE |
      | RESUMING  | lseek   | ESPIPE |

  @C-MIG-021 @C-MIG-022
  Scenario: [3] In STOP_COPY the stream ends with read() = 0, every time, never ENOMSG
    Given a migratable VFIO device
    And the device has reached state STOP_COPY
    When the data fd is read to its end
    Then the data fd is at its end

  @C-MIG-025
  Scenario Outline: [4] Leaving <state> for <next> ends its data fd
    Given a migratable VFIO device offering <flags>
    And the device has reached state <state>
    When the device is set to <next>
    Then the call succeeds
    And the data fd has ended

    Examples:
      | state        | next        | flags                  |
      | STOP_COPY    | STOP        | STOP_COPY              |
      | PRE_COPY     | RUNNING     | STOP_COPY+PRE_COPY     |
      | PRE_COPY_P2P | RUNNING_P2P | STOP_COPY+P2P+PRE_COPY |
      | STOP_COPY    | RUNNING     | STOP_COPY              |

  @C-MIG-025 @C-MIG-024
  Scenario: [5] A successful RESUMING to STOP ends the resume fd
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Then the call succeeds
    When 0x00 is written to the data fd
    Then the call fails

  @C-MIG-026
  Scenario Outline: [6] Closing the data fd of <state> leaves the device in <state>
    Given a migratable VFIO device offering <flags>
    And the device has reached state <state>
    When the data fd is closed
    Then the call succeeds
    And the device is in state <state>

    Examples:
      | state     | flags              |
      | STOP_COPY | STOP_COPY          |
      | RESUMING  | STOP_COPY          |
      | PRE_COPY  | STOP_COPY+PRE_COPY |

  @C-MIG-027 @C-MIG-025
  Scenario: [7] A second saving transfer starts its stream from the beginning on a new fd, which alone restores a device
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the device has reached state STOP
    When the device is set to STOP_COPY
    Then a new data fd is returned
    And the previous data fd has ended
    Given the saved stream is discarded
    When the data fd is read to its end
    And device "dst" has reached state STOP
    And device "dst" is set to RESUMING
    And the saved stream is written to the data fd in chunks of 4096 bytes
    And device "dst" is set to STOP
    Then the call succeeds

  @profile:mtty @C-MIG-072
  Scenario: [8] On mtty a second saving transfer gives the same stream again
    Given a migratable VFIO device driven by "mtty"
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And the device has reached state STOP
    When the device is set to STOP_COPY
    Then a new data fd is returned
    When the data fd is read to its end
    Then the saved stream is made of two equal halves

  @C-MIG-031
  Scenario Outline: [9] ioctl <request> on a saving data fd fails with ENOTTY
    Given a migratable VFIO device
    And the device has reached state STOP_COPY
    When ioctl <request> is issued on the data fd
    Then the call fails with ENOTTY

    Examples:
      | request | note                               |
      | 0x3b6b  | VFIO_DEVICE_GET_INFO               |
      | 0x3b9f  | _IO(';', 99): not a VFIO ioctl     |
      | 0x7801  | _IO('x', 1): another subsystem's   |

  @C-MIG-088
  Scenario Outline: [10] Closing the device ends the data fd of <state>
    Given a migratable VFIO device offering <flags>
    And the device has reached state <state>
    When the device is closed and opened again
    Then the data fd has ended

    Examples:
      | state        | flags                  |
      | STOP_COPY    | STOP_COPY              |
      | RESUMING     | STOP_COPY              |
      | PRE_COPY     | STOP_COPY+PRE_COPY     |
      | PRE_COPY_P2P | STOP_COPY+P2P+PRE_COPY |

  @C-MIG-088
  Scenario: [11] After the destination is closed, its old resume fd refuses even a valid start of a stream
    A resume fd that is still live takes the first bytes of a saved stream;
    once the device was closed it must not.
    Given a migratable VFIO device
    And a second migratable VFIO device "dst" like the first
    And the device has reached state STOP_COPY
    And the data fd is read to its end
    And device "dst" has reached state STOP
    When device "dst" is set to RESUMING
    Then a new data fd is returned
    When device "dst" is closed and opened again
    And the first 16 bytes of the saved stream are written to the data fd
    Then the call fails
