/* VFIO devices and the plain file operations on any fd the agent handed out:
 * opening a device through its cdev and iommufd (or the legacy group and a
 * type1 container), ioctl with the argument bytes, read/write/pread/pwrite,
 * lseek, fcntl, region access, DMA mapping and user memory. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>
#if __has_include(<linux/iommufd.h>)
#include <linux/iommufd.h>
#endif
#include "agent.h"

/* The device cdev and iommufd arrived in Linux 6.6; older headers build the group path only. */
#if defined(VFIO_DEVICE_BIND_IOMMUFD) && defined(VFIO_DEVICE_ATTACH_IOMMUFD_PT) && defined(IOMMU_IOAS_ALLOC)
#define HAVE_VFIO_CDEV 1
#endif

#define MAX_COUNT (1 << 24)

enum vfio_open_mode vfio_open_mode = VFIO_OPEN_AUTO;

const char *vfio_open_mode_name(void)
{
	switch (vfio_open_mode) {
	case VFIO_OPEN_CDEV: return "cdev";
	case VFIO_OPEN_GROUP: return "group";
	default: return "auto";
	}
}

/* A legacy group the agent holds open, with the container it is set to. */
struct group {
	int number, fd, container, users;
	struct group *next;
};

/* A device fd handed out, and what keeps its IO address space alive. */
struct device {
	int fd;
	int iommufd; /* cdev path: the iommufd it is bound to, else -1 */
	uint32_t ioas;
	struct group *group; /* group path */
	char dev[PATH_MAX]; /* its sysfs directory, for the test hooks */
	struct device *next;
};

static struct group *groups;
static struct device *devices;

static struct device *device_of(int fd)
{
	for (struct device *d = devices; d; d = d->next)
		if (d->fd == fd)
			return d;
	return NULL;
}

static void close_internal(int fd)
{
	if (fd < 0)
		return;
	fd_unmark_internal(fd);
	close(fd);
}

static void group_put(struct group *g)
{
	if (--g->users > 0)
		return;
	for (struct group **p = &groups; *p; p = &(*p)->next)
		if (*p == g) {
			*p = g->next;
			break;
		}
	close_internal(g->fd);
	close_internal(g->container);
	free(g);
}

static void device_release(struct device *d)
{
	for (struct device **p = &devices; *p; p = &(*p)->next)
		if (*p == d) {
			*p = d->next;
			break;
		}
	close(d->fd);
	close_internal(d->iommufd);
	if (d->group)
		group_put(d->group);
	free(d);
}

void vfio_close_all_devices(void)
{
	while (devices)
		device_release(devices);
}

static struct device *device_add(int fd)
{
	struct device *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->fd = fd;
	d->iommufd = -1;
	d->next = devices;
	devices = d;
	return d;
}

/* The vfioN name under <dev>/vfio-dev, or 0 when the device has no cdev. */
static int cdev_name(const char *dev, char *name, size_t size)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/vfio-dev", dev);
	DIR *dir = opendir(path);
	if (!dir)
		return 0;
	struct dirent *entry;
	int found = 0;
	while ((entry = readdir(dir)))
		if (strncmp(entry->d_name, "vfio", 4) == 0) {
			snprintf(name, size, "%s", entry->d_name);
			found = 1;
			break;
		}
	closedir(dir);
	return found;
}

#ifdef HAVE_VFIO_CDEV
/* cdev path: open /dev/vfio/devices/vfioN, bind it to a new iommufd, give it
 * a new IOAS. Returns the device fd or -errno. */
static int open_cdev_node(const char *name)
{
	char node[PATH_MAX];
	snprintf(node, sizeof(node), "/dev/vfio/devices/%s", name);
	int fd = open(node, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int open_cdev(const char *name, struct device **out)
{
	int fd = open_cdev_node(name);
	if (fd < 0)
		return fd;
	int iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (iommufd < 0) {
		int err = errno;
		close(fd);
		return -err;
	}
	fd_mark_internal(iommufd);
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind), .iommufd = iommufd };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	if (ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &bind) < 0 || ioctl(iommufd, IOMMU_IOAS_ALLOC, &alloc) < 0)
		goto fail;
	attach.pt_id = alloc.out_ioas_id;
	if (ioctl(fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach) < 0)
		goto fail;
	struct device *d = device_add(fd);
	if (!d) {
		errno = ENOMEM;
		goto fail;
	}
	d->iommufd = iommufd;
	d->ioas = alloc.out_ioas_id;
	*out = d;
	return fd;
fail: {
	int err = errno;
	close(fd);
	close_internal(iommufd);
	return -err;
}
}

/* The cdev alone, not bound to any iommufd: only BIND works on it. */
static int open_cdev_unbound(const char *name, struct device **out)
{
	int fd = open_cdev_node(name);
	if (fd < 0)
		return fd;
	struct device *d = device_add(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	*out = d;
	return fd;
}
#endif

static int group_open(int number, struct group **out)
{
	for (struct group *g = groups; g; g = g->next)
		if (g->number == number) {
			g->users++;
			*out = g;
			return 0;
		}
	char node[64];
	snprintf(node, sizeof(node), "/dev/vfio/%d", number);
	int fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fd_mark_internal(fd);
	int container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (container < 0) {
		int err = errno;
		close_internal(fd);
		return -err;
	}
	fd_mark_internal(container);
	struct vfio_group_status status = { .argsz = sizeof(status) };
	int err = 0;
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &status) < 0)
		err = errno;
	else if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		err = EBUSY; /* another device of the group is bound to a host driver */
	else if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		err = EINVAL;
	else if (ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1)
		err = ENODEV;
	else if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &container) < 0 || ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
		err = errno;
	struct group *g = err ? NULL : calloc(1, sizeof(*g));
	if (!g) {
		close_internal(fd);
		close_internal(container);
		return -(err ? err : ENOMEM);
	}
	*g = (struct group){ .number = number, .fd = fd, .container = container, .users = 1, .next = groups };
	groups = g;
	*out = g;
	return 0;
}

/* Group path: the device's IOMMU group, a type1v2 container, GET_DEVICE_FD by name. */
static int open_group(const char *dev, struct device **out)
{
	char link[PATH_MAX], target[PATH_MAX];
	snprintf(link, sizeof(link), "%s/iommu_group", dev);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -(errno == ENOENT ? ENODEV : errno);
	target[n] = 0;
	const char *slash = strrchr(target, '/');
	struct group *g = NULL;
	int err = group_open(atoi(slash ? slash + 1 : target), &g);
	if (err)
		return err;
	const char *name = strrchr(dev, '/') + 1;
	int fd = ioctl(g->fd, VFIO_GROUP_GET_DEVICE_FD, name);
	if (fd < 0) {
		err = errno;
		group_put(g);
		return -err;
	}
	struct device *d = device_add(fd);
	if (!d) {
		close(fd);
		group_put(g);
		return -ENOMEM;
	}
	d->group = g;
	*out = d;
	return fd;
}

/* Opens the device at req's path through the interface asked for (AUTO: the
 * run's choice), bound and ready, or for open_cdev unbound. */
static void open_device_by(json_t *req, struct reply *r, enum vfio_open_mode mode, bool bound)
{
	const char *path;
	if (!field_str(req, "path", &path, r))
		return;
	char dev[PATH_MAX];
	if (!realpath(path, dev))
		return reply_errno(r, errno);
	struct device *d = NULL;
	int fd = -ENODEV;
	char name[64];
	bool has_cdev = cdev_name(dev, name, sizeof(name));
	if (mode == VFIO_OPEN_AUTO)
		mode = vfio_open_mode;
#ifdef HAVE_VFIO_CDEV
	bool use_cdev = mode == VFIO_OPEN_CDEV ||
		(mode == VFIO_OPEN_AUTO && has_cdev && access("/dev/iommu", F_OK) == 0);
	if (use_cdev && !has_cdev)
		return reply_unsupported(r, "%s has no VFIO device cdev (no vfio-dev/ directory)", dev);
	if (use_cdev)
		fd = bound ? open_cdev(name, &d) : open_cdev_unbound(name, &d);
	else
		fd = open_group(dev, &d);
#else
	(void)has_cdev;
	(void)bound;
	if (mode == VFIO_OPEN_CDEV)
		return reply_unsupported(r, "the agent was built with uAPI headers older than Linux 6.6, which have no VFIO device cdev");
	fd = open_group(dev, &d);
#endif
	if (fd < 0)
		return reply_errno(r, -fd);
	if (d)
		snprintf(d->dev, sizeof(d->dev), "%s", dev);
	reply_ok(r, json_pack("{s:i}", "fd", fd));
}

void op_open_device(json_t *req, struct reply *r)
{
	open_device_by(req, r, VFIO_OPEN_AUTO, true);
}

void op_open_device_via(json_t *req, struct reply *r)
{
	const char *via;
	if (!field_str(req, "interface", &via, r))
		return;
	if (strcmp(via, "cdev") == 0)
		open_device_by(req, r, VFIO_OPEN_CDEV, true);
	else if (strcmp(via, "group") == 0)
		open_device_by(req, r, VFIO_OPEN_GROUP, true);
	else
		reply_errno(r, EINVAL);
}

void op_open_cdev(json_t *req, struct reply *r)
{
	open_device_by(req, r, VFIO_OPEN_CDEV, false);
}

/* A new iommufd of the suite's own: closed by close or at the next scenario. */
void op_iommufd_open(json_t *req, struct reply *r)
{
	int fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return reply_unsupported(r, "this kernel has no /dev/iommu (CONFIG_IOMMUFD)");
		return reply_errno(r, errno);
	}
	reply_ok(r, json_pack("{s:i}", "fd", fd));
}

const char *vfio_device_dir(int fd)
{
	struct device *d = fd >= 0 && !fd_is_internal(fd) ? device_of(fd) : NULL;
	return d ? d->dev : NULL;
}

/* An fd the suite may name: not one of the agent's own. */
static bool usable(int fd, struct reply *r)
{
	if (fd < 0 || fd_is_internal(fd)) {
		reply_errno(r, EBADF);
		return false;
	}
	return true;
}

void op_close(json_t *req, struct reply *r)
{
	long long fd;
	if (!field_int(req, "fd", &fd, r) || !usable((int)fd, r))
		return;
	struct device *d = device_of((int)fd);
	if (d) {
		device_release(d);
		return reply_empty(r);
	}
	if (close((int)fd) < 0)
		return reply_errno(r, errno);
	reply_empty(r);
}

/* The argument bytes end right before an inaccessible page, so the kernel
 * reading or writing past what the caller gave faults as it would in a
 * program whose buffer is that long. */
struct guarded { uint8_t *base, *data; size_t size; };

static bool guarded_alloc(struct guarded *g, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + page - 1) / page * page;
	g->size = body + page;
	g->base = mmap(NULL, g->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->base == MAP_FAILED)
		return false;
	mprotect(g->base + body, page, PROT_NONE);
	g->data = g->base + body - len;
	return true;
}

static void guarded_free(struct guarded *g)
{
	munmap(g->base, g->size);
}

void op_ioctl(json_t *req, struct reply *r)
{
	long long fd, request;
	uint8_t *arg;
	size_t len;
	if (!field_int(req, "fd", &fd, r) || !field_int(req, "request", &request, r) || !field_hex(req, "arg", &arg, &len, true, r))
		return;
	if (!usable((int)fd, r)) {
		free(arg);
		return;
	}
	if (!arg) {
		int ret = ioctl((int)fd, (unsigned long)(uint32_t)request, NULL);
		if (ret < 0)
			return reply_errno(r, errno);
		return reply_ok(r, json_pack("{s:i,s:n}", "ret", ret, "arg"));
	}
	struct guarded buf;
	if (!guarded_alloc(&buf, len)) {
		free(arg);
		return reply_errno(r, ENOMEM);
	}
	memcpy(buf.data, arg, len);
	free(arg);
	int ret = ioctl((int)fd, (unsigned long)(uint32_t)request, buf.data);
	int err = errno;
	json_t *after = hex_string(buf.data, len);
	guarded_free(&buf);
	if (ret < 0) {
		reply_errno(r, err);
		r->arg = after;
		return;
	}
	reply_ok(r, json_pack("{s:i,s:o}", "ret", ret, "arg", after));
}

static bool count_field(json_t *req, long long *count, struct reply *r)
{
	if (!field_int(req, "count", count, r))
		return false;
	if (*count < 0 || *count > MAX_COUNT) {
		reply_errno(r, EINVAL);
		return false;
	}
	return true;
}

static void data_reply(struct reply *r, uint8_t *buf, ssize_t n)
{
	if (n < 0)
		reply_errno(r, errno);
	else
		reply_ok(r, json_pack("{s:o}", "data", hex_string(buf, (size_t)n)));
	free(buf);
}

void op_read(json_t *req, struct reply *r)
{
	long long fd, count;
	if (!field_int(req, "fd", &fd, r) || !count_field(req, &count, r) || !usable((int)fd, r))
		return;
	uint8_t *buf = malloc((size_t)count + 1);
	if (!buf)
		return reply_errno(r, ENOMEM);
	data_reply(r, buf, read((int)fd, buf, (size_t)count));
}

void op_pread(json_t *req, struct reply *r)
{
	long long fd, count;
	uint64_t offset;
	if (!field_int(req, "fd", &fd, r) || !count_field(req, &count, r) || !field_u64(req, "offset", &offset, r) || !usable((int)fd, r))
		return;
	uint8_t *buf = malloc((size_t)count + 1);
	if (!buf)
		return reply_errno(r, ENOMEM);
	data_reply(r, buf, pread((int)fd, buf, (size_t)count, (off_t)offset));
}

static void count_reply(struct reply *r, ssize_t n)
{
	if (n < 0)
		reply_errno(r, errno);
	else
		reply_ok(r, json_pack("{s:I}", "count", (json_int_t)n));
}

void op_write(json_t *req, struct reply *r)
{
	long long fd;
	uint8_t *data;
	size_t len;
	if (!field_int(req, "fd", &fd, r) || !field_hex(req, "data", &data, &len, false, r))
		return;
	if (usable((int)fd, r))
		count_reply(r, write((int)fd, data, len));
	free(data);
}

void op_pwrite(json_t *req, struct reply *r)
{
	long long fd;
	uint64_t offset;
	uint8_t *data;
	size_t len;
	if (!field_int(req, "fd", &fd, r) || !field_u64(req, "offset", &offset, r) || !field_hex(req, "data", &data, &len, false, r))
		return;
	if (usable((int)fd, r))
		count_reply(r, pwrite((int)fd, data, len, (off_t)offset));
	free(data);
}

void op_lseek(json_t *req, struct reply *r)
{
	long long fd, offset;
	const char *whence_name;
	if (!field_int(req, "fd", &fd, r) || !field_int(req, "offset", &offset, r) || !field_str(req, "whence", &whence_name, r) ||
	    !usable((int)fd, r))
		return;
	int whence = strcmp(whence_name, "SEEK_SET") == 0 ? SEEK_SET : strcmp(whence_name, "SEEK_CUR") == 0 ? SEEK_CUR :
		strcmp(whence_name, "SEEK_END") == 0 ? SEEK_END : -1;
	if (whence < 0)
		return reply_errno(r, EINVAL);
	off_t at = lseek((int)fd, (off_t)offset, whence);
	if (at < 0)
		return reply_errno(r, errno);
	reply_ok(r, json_pack("{s:I}", "offset", (json_int_t)at));
}

void op_fcntl(json_t *req, struct reply *r)
{
	long long fd;
	const char *cmd;
	if (!field_int(req, "fd", &fd, r) || !field_str(req, "cmd", &cmd, r) || !usable((int)fd, r))
		return;
	int value;
	if (strcmp(cmd, "F_GETFD") == 0)
		value = fcntl((int)fd, F_GETFD);
	else if (strcmp(cmd, "F_GETFL") == 0)
		value = fcntl((int)fd, F_GETFL);
	else
		return reply_errno(r, EINVAL);
	if (value < 0)
		return reply_errno(r, errno);
	reply_ok(r, json_pack("{s:i}", "value", value));
}

/* poll(2) event names and bits, as the contract spells them. */
static const struct { const char *name; short bit; } POLL_EVENTS[] = {
	{ "POLLIN", POLLIN }, { "POLLPRI", POLLPRI }, { "POLLOUT", POLLOUT },
	{ "POLLERR", POLLERR }, { "POLLHUP", POLLHUP }, { "POLLNVAL", POLLNVAL },
	{ "POLLRDNORM", POLLRDNORM }, { "POLLRDBAND", POLLRDBAND },
	{ "POLLWRNORM", POLLWRNORM }, { "POLLWRBAND", POLLWRBAND }, { "POLLRDHUP", POLLRDHUP },
};

/* poll(2) on one fd with a zero timeout: it never waits. */
void op_poll(json_t *req, struct reply *r)
{
	long long fd;
	if (!field_int(req, "fd", &fd, r))
		return;
	if (fd_is_internal((int)fd))
		return reply_errno(r, EBADF);
	json_t *events = json_object_get(req, "events");
	if (!json_is_array(events))
		return reply_errno(r, EINVAL);
	struct pollfd p = { .fd = (int)fd };
	size_t i;
	json_t *event;
	json_array_foreach(events, i, event) {
		const char *name = json_string_value(event);
		size_t k;
		for (k = 0; name && k < sizeof(POLL_EVENTS) / sizeof(POLL_EVENTS[0]); k++)
			if (strcmp(name, POLL_EVENTS[k].name) == 0)
				break;
		if (!name || k == sizeof(POLL_EVENTS) / sizeof(POLL_EVENTS[0]))
			return reply_errno(r, EINVAL);
		p.events |= POLL_EVENTS[k].bit;
	}
	if (poll(&p, 1, 0) < 0)
		return reply_errno(r, errno);
	json_t *revents = json_array();
	for (size_t k = 0; k < sizeof(POLL_EVENTS) / sizeof(POLL_EVENTS[0]); k++)
		if (p.revents & POLL_EVENTS[k].bit)
			json_array_append_new(revents, json_string(POLL_EVENTS[k].name));
	reply_ok(r, json_pack("{s:o}", "revents", revents));
}

static int region(int fd, uint32_t index, struct vfio_region_info *info)
{
	*info = (struct vfio_region_info){ .argsz = sizeof(*info), .index = index };
	return ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info) < 0 ? errno : 0;
}

static bool region_fields(json_t *req, long long *fd, struct vfio_region_info *info, struct reply *r)
{
	long long index;
	if (!field_int(req, "fd", fd, r) || !field_int(req, "index", &index, r) || !usable((int)*fd, r))
		return false;
	int err = region((int)*fd, (uint32_t)index, info);
	if (err) {
		reply_errno(r, err);
		return false;
	}
	return true;
}

void op_region_info(json_t *req, struct reply *r)
{
	long long fd;
	struct vfio_region_info info;
	if (!region_fields(req, &fd, &info, r))
		return;
	reply_ok(r, json_pack("{s:I,s:o,s:o}", "flags", (json_int_t)info.flags, "size", u64_string(info.size), "offset",
			      u64_string(info.offset)));
}

void op_region_read(json_t *req, struct reply *r)
{
	long long fd, count;
	uint64_t offset;
	struct vfio_region_info info;
	if (!count_field(req, &count, r) || !field_u64(req, "offset", &offset, r) || !region_fields(req, &fd, &info, r))
		return;
	uint8_t *buf = malloc((size_t)count + 1);
	if (!buf)
		return reply_errno(r, ENOMEM);
	data_reply(r, buf, pread((int)fd, buf, (size_t)count, (off_t)(info.offset + offset)));
}

void op_region_write(json_t *req, struct reply *r)
{
	long long fd;
	uint64_t offset;
	uint8_t *data;
	size_t len;
	struct vfio_region_info info;
	if (!field_u64(req, "offset", &offset, r) || !field_hex(req, "data", &data, &len, false, r))
		return;
	if (region_fields(req, &fd, &info, r))
		count_reply(r, pwrite((int)fd, data, len, (off_t)(info.offset + offset)));
	free(data);
}

void op_dma_map(json_t *req, struct reply *r)
{
	long long fd;
	uint64_t iova, addr, length;
	if (!field_int(req, "fd", &fd, r) || !field_u64(req, "iova", &iova, r) || !field_u64(req, "addr", &addr, r) ||
	    !field_u64(req, "length", &length, r) || !usable((int)fd, r))
		return;
	struct device *d = device_of((int)fd);
	if (!d)
		return reply_errno(r, fcntl((int)fd, F_GETFD) < 0 ? EBADF : ENOTTY);
	int ret;
#ifdef HAVE_VFIO_CDEV
	if (d->iommufd >= 0) {
		struct iommu_ioas_map map = {
			.size = sizeof(map),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
			.ioas_id = d->ioas, .user_va = addr, .length = length, .iova = iova,
		};
		ret = ioctl(d->iommufd, IOMMU_IOAS_MAP, &map);
	} else
#endif
	{
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map), .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = addr, .iova = iova, .size = length,
		};
		ret = ioctl(d->group->container, VFIO_IOMMU_MAP_DMA, &map);
	}
	if (ret < 0)
		return reply_errno(r, errno);
	reply_empty(r);
}

/* --- user memory --------------------------------------------------------------------- */
struct mapping { uintptr_t addr; size_t len; struct mapping *next; };
static struct mapping *mappings;

void mem_free_all(void)
{
	while (mappings) {
		struct mapping *m = mappings;
		mappings = m->next;
		munmap((void *)m->addr, m->len);
		free(m);
	}
}

void op_mem_alloc(json_t *req, struct reply *r)
{
	long long length;
	if (!field_int(req, "length", &length, r))
		return;
	if (length < 1 || length > (1 << 26))
		return reply_errno(r, EINVAL);
	void *p = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct mapping *m = p == MAP_FAILED ? NULL : malloc(sizeof(*m));
	if (!m) {
		if (p != MAP_FAILED)
			munmap(p, (size_t)length);
		return reply_errno(r, ENOMEM);
	}
	*m = (struct mapping){ .addr = (uintptr_t)p, .len = (size_t)length, .next = mappings };
	mappings = m;
	reply_ok(r, json_pack("{s:o}", "addr", u64_string(m->addr)));
}

/* The span must lie inside one allocation; anything else is EFAULT. */
static uint8_t *span(uint64_t addr, size_t len)
{
	for (struct mapping *m = mappings; m; m = m->next)
		if (addr >= m->addr && addr - m->addr <= m->len && len <= m->len - (addr - m->addr))
			return (uint8_t *)(uintptr_t)addr;
	return NULL;
}

void op_mem_read(json_t *req, struct reply *r)
{
	uint64_t addr;
	long long length;
	if (!field_u64(req, "addr", &addr, r) || !field_int(req, "length", &length, r))
		return;
	uint8_t *at = length >= 0 ? span(addr, (size_t)length) : NULL;
	if (!at)
		return reply_errno(r, EFAULT);
	reply_ok(r, json_pack("{s:o}", "data", hex_string(at, (size_t)length)));
}

void op_mem_write(json_t *req, struct reply *r)
{
	uint64_t addr;
	uint8_t *data;
	size_t len;
	if (!field_u64(req, "addr", &addr, r) || !field_hex(req, "data", &data, &len, false, r))
		return;
	uint8_t *at = span(addr, len);
	if (at)
		memcpy(at, data, len);
	free(data);
	if (!at)
		return reply_errno(r, EFAULT);
	reply_empty(r);
}

/* One store into a memory BAR through an mmap of the function's resource<bar> file. */
void op_mmio_write(json_t *req, struct reply *r)
{
	const char *path;
	long long bar;
	uint64_t offset;
	uint8_t *data;
	size_t len;
	if (!field_str(req, "path", &path, r) || !field_int(req, "bar", &bar, r) || !field_u64(req, "offset", &offset, r) ||
	    !field_hex(req, "data", &data, &len, false, r))
		return;
	char file[PATH_MAX];
	snprintf(file, sizeof(file), "%s/resource%lld", path, bar);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int fd = -1;
	void *map = MAP_FAILED;
	int err = 0;
	if ((len != 1 && len != 2 && len != 4 && len != 8) || offset % len)
		err = EINVAL; /* one naturally aligned access, so it never crosses a page */
	else if ((fd = open(file, O_RDWR | O_SYNC | O_CLOEXEC)) < 0)
		err = errno;
	else if ((map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)(offset & ~(uint64_t)(page - 1)))) == MAP_FAILED)
		err = errno;
	else {
		volatile uint8_t *at = (volatile uint8_t *)map + (offset & (page - 1));
		uint64_t value = 0;
		memcpy(&value, data, len);
		switch (len) {
		case 1: *at = (uint8_t)value; break;
		case 2: *(volatile uint16_t *)at = (uint16_t)value; break;
		case 4: *(volatile uint32_t *)at = (uint32_t)value; break;
		default: *(volatile uint64_t *)at = value; break;
		}
	}
	if (map != MAP_FAILED)
		munmap(map, page);
	if (fd >= 0)
		close(fd);
	free(data);
	if (err)
		return reply_errno(r, err);
	reply_empty(r);
}
