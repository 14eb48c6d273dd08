/* vfio-tck Linux agent: performs the requests of the vfio-tck adapter protocol
 * (one JSON object per line) with the real system calls of the machine it runs
 * on. It knows nothing about the tests; every check lives in the suite. */
#ifndef VFIO_TCK_AGENT_H
#define VFIO_TCK_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define AGENT_NAME "vfio-tck linux agent"
#define AGENT_VERSION "0.1.0"
#define PROTOCOL_VERSION 1

/* What a handler leaves behind: a result, an errno, or a reason it cannot. */
struct reply {
	json_t *result;      /* the result object on success (owned) */
	int err;             /* > 0: the call failed with this errno */
	json_t *arg;         /* ioctl only: the argument buffer after a failed call (owned) */
	char unsupported[512]; /* non-empty: the agent does not do this */
};

typedef void (*handler_fn)(json_t *req, struct reply *r);

/* wire.c: answers, fields of a request, hex and errno names */
void reply_ok(struct reply *r, json_t *result);
void reply_empty(struct reply *r);
void reply_errno(struct reply *r, int err);
void reply_unsupported(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool field_int(json_t *req, const char *name, long long *out, struct reply *r);
bool field_str(json_t *req, const char *name, const char **out, struct reply *r);
bool field_u64(json_t *req, const char *name, uint64_t *out, struct reply *r);
/* Decodes a hex field into a fresh buffer (free it); null_ok accepts JSON null (*out NULL). */
bool field_hex(json_t *req, const char *name, uint8_t **out, size_t *len, bool null_ok, struct reply *r);
json_t *hex_string(const uint8_t *data, size_t len);
json_t *u64_string(uint64_t value);
const char *errno_name(int err);
/* kernel_release.c */
bool kernel_has_change(const char *release, const char *id);

void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define logf logf_

/* fds.c: which fds are the agent's own (never handed out, never swept) */
void fd_mark_internal(int fd);
void fd_unmark_internal(int fd);
bool fd_is_internal(int fd);
/* Closes every fd the agent did not mark as its own. */
void fd_close_all_but_internal(void);

/* vfio.c */
void op_open_device(json_t *req, struct reply *r);
void op_close(json_t *req, struct reply *r);
void op_ioctl(json_t *req, struct reply *r);
void op_read(json_t *req, struct reply *r);
void op_write(json_t *req, struct reply *r);
void op_pread(json_t *req, struct reply *r);
void op_pwrite(json_t *req, struct reply *r);
void op_lseek(json_t *req, struct reply *r);
void op_fcntl(json_t *req, struct reply *r);
void op_poll(json_t *req, struct reply *r);
int write_text(const char *path, const char *text);
void op_open_device_via(json_t *req, struct reply *r);
void op_open_cdev(json_t *req, struct reply *r);
void op_iommufd_open(json_t *req, struct reply *r);
void op_region_info(json_t *req, struct reply *r);
void op_region_read(json_t *req, struct reply *r);
void op_region_write(json_t *req, struct reply *r);
void op_dma_map(json_t *req, struct reply *r);
void op_mem_alloc(json_t *req, struct reply *r);
void op_mem_read(json_t *req, struct reply *r);
void op_mem_write(json_t *req, struct reply *r);
void op_mmio_write(json_t *req, struct reply *r);
void vfio_close_all_devices(void);
void mem_free_all(void);
enum vfio_open_mode { VFIO_OPEN_AUTO, VFIO_OPEN_CDEV, VFIO_OPEN_GROUP };
extern enum vfio_open_mode vfio_open_mode;
const char *vfio_open_mode_name(void);
/* The sysfs directory of a device fd the agent handed out, or NULL. */
const char *vfio_device_dir(int fd);

/* hooks.c: the test driver's hooks (lab/test-driver/tckmig.c) */
bool test_driver_present(void);
void op_device_dma(json_t *req, struct reply *r);
void op_migration_arcs(json_t *req, struct reply *r);

/* sysfs.c */
void op_sysfs_read(json_t *req, struct reply *r);
void op_sysfs_write(json_t *req, struct reply *r);
void op_sysfs_list(json_t *req, struct reply *r);
void op_sysfs_readlink(json_t *req, struct reply *r);
void op_sysfs_stat(json_t *req, struct reply *r);
void op_sysfs_write_start(json_t *req, struct reply *r);
void op_delete_module_start(json_t *req, struct reply *r);
void op_pending_wait(json_t *req, struct reply *r);
/* Waits up to timeout_ms for every pending call, then forgets them all. */
void pending_settle_all(int timeout_ms);
/* One open + write + close in a child that holds no other fd; 0 or an errno
 * (ETIMEDOUT when it had not finished after timeout_ms). */
int sysfs_write_isolated(const char *path, const char *data, size_t len, int timeout_ms);

/* mdev.c: the mdevs the agent creates at start and the state each scenario starts from */
struct created_mdev { char type[128]; char uuid[40]; bool by_agent; };
/* Creates the mdev unless it exists, and keeps it in every scenario's start state. */
int mdev_declare(const char *type, const char *uuid);
void mdev_note_baseline(void);
int mdev_restore_baseline(void);
/* At exit: removes the declared mdevs the agent itself created. */
void mdev_remove_declared(void);

/* modules.c */
/* A module listed in /proc/modules can be unloaded; one that only has
 * /sys/module/<name> is built in. */
bool module_is_loaded(const char *name, bool *modules_supported);
/* A module file to load at start and again before any scenario that finds it unloaded. */
void module_declare(const char *path);
/* Loads the declared modules that are not loaded; 0 or the errno of one that failed. */
int modules_restore(void);

/* pci.c: binds the PCI device at this sysfs path to vfio-pci; 0 or an errno. */
int pci_bind_vfio(const char *dev);

#endif
