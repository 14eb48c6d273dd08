/* The agent's main loop: options, the start exchange, one request at a time
 * from the protocol channel, and the end. As the /init of the lab's initramfs
 * it also mounts the kernel file systems, talks on a serial port in raw mode
 * and powers the machine off at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>
#include "agent.h"


#define MAX_DECLARED 64
#define SETTLE_MS 3000

static struct {
	const char *serial;
	bool init;
	bool ready_line;
	bool fsm_fixed;
	bool mdev_role;
	const char *devices[MAX_DECLARED];
	int device_count;
	const char *vfio_pci[MAX_DECLARED]; /* to bind to vfio-pci at start (also declared) */
	int vfio_pci_count;
	struct created_mdev mdevs[MAX_DECLARED];
	int mdev_count;
	const char *modules[MAX_DECLARED];
	int module_count;
	const char *mdev_parents[MAX_DECLARED];
	int mdev_parent_count;
} opt = { .mdev_role = true };

static int in_fd = 0, out_fd = 1;

static void usage(FILE *to)
{
	fputs("usage: vfio-tck-agent [options]\n"
	      "Answers the vfio-tck adapter protocol (JSON lines) on stdin/stdout.\n"
	      "  --device PATH          declare the VFIO device at this sysfs path for the migration suite\n"
	      "  --bind-vfio-pci PATH[,PATH...] bind the PCI device at this sysfs path to vfio-pci at\n"
	      "                         start (driver_override, unbind, drivers_probe) and declare it\n"
	      "  --create-mdev TYPE:UUID[,TYPE:UUID...] create this mdev at start (unless it exists),\n"
	      "                         declare it, and keep it in every scenario's start state\n"
	      "  --load-module FILE.ko[,FILE.ko...] load this module at start, and again before any\n"
	      "                         scenario that finds it unloaded (before the mdevs are created)\n"
	      "  --mdev-parent NAME:DRIVER:MODULE:TYPE/COUNT[,TYPE/COUNT...]\n"
	      "                         declare an mdev parent for the generic mdev scenarios, in the\n"
	      "                         order to try them; MODULE \"-\" when it cannot be unloaded;\n"
	      "                         COUNT \"driver\" or \"core/MAX\" (who counts the instances;\n"
	      "                         no \"=\": QEMU reads any \"vga=\" on the kernel command line)\n"
	      "  --vfio-open auto|cdev|group  how open_device opens a device (auto: the cdev with\n"
	      "                         iommufd where the device has one, else the legacy group)\n"
	      "  --no-mdev-role         do not offer the mdev role even where /sys/class/mdev_bus exists\n"
	      "  --fsm-error-loop-fixed declare that this kernel carries the migration state machine fix\n"
	      "  --serial DEV           speak the protocol on this tty (in raw mode) instead of stdin/stdout\n"
	      "  --ready-line           write \"vfio-tck-agent ready\" on the channel before the first request\n"
	      "  --init                 act as an initramfs /init (implied when running as pid 1)\n",
	      to);
}

/* One --mdev-parent value as the start answer's mdev_parents entry, or NULL
 * when it does not have the documented form. */
static json_t *declared_parent(const char *spec)
{
	char buf[1024];
	if (strlen(spec) >= sizeof(buf))
		return NULL;
	snprintf(buf, sizeof(buf), "%s", spec);
	char *save = NULL;
	char *name = strtok_r(buf, ":", &save), *driver = strtok_r(NULL, ":", &save);
	char *module = strtok_r(NULL, ":", &save), *types = strtok_r(NULL, "", &save);
	if (!name || !driver || !module || !types)
		return NULL;
	json_t *list = json_array();
	for (char *t = strtok_r(types, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *slash = strchr(t, '/');
		unsigned max;
		char end;
		if (!slash || slash == t)
			goto bad;
		*slash = 0;
		if (strcmp(slash + 1, "driver") == 0)
			json_array_append_new(list, json_pack("{s:s,s:s}", "id", t, "count", "driver"));
		else if (sscanf(slash + 1, "core/%u%c", &max, &end) == 1)
			json_array_append_new(list, json_pack("{s:s,s:s,s:i}", "id", t, "count", "core", "max_instances", (int)max));
		else
			goto bad;
	}
	if (json_array_size(list) == 0)
		goto bad;
	json_t *parent = json_pack("{s:s,s:s,s:o}", "name", name, "driver", driver, "types", list);
	if (strcmp(module, "-") != 0)
		json_object_set_new(parent, "module", json_string(module));
	return parent;
bad:
	json_decref(list);
	return NULL;
}

static void parse_options(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--serial") == 0 && value)
			opt.serial = argv[++i];
		else if (strcmp(a, "--init") == 0)
			opt.init = true;
		else if (strcmp(a, "--ready-line") == 0)
			opt.ready_line = true;
		else if (strcmp(a, "--fsm-error-loop-fixed") == 0)
			opt.fsm_fixed = true;
		else if (strcmp(a, "--no-mdev-role") == 0)
			opt.mdev_role = false;
		else if (strcmp(a, "--load-module") == 0 && value) {
			/* A comma-separated list too: the kernel passes /init at most 32 arguments. */
			for (char *save, *one = strtok_r(argv[++i], ",", &save); one; one = strtok_r(NULL, ",", &save))
				if (opt.module_count < MAX_DECLARED)
					opt.modules[opt.module_count++] = one;
		}
		else if (strcmp(a, "--mdev-parent") == 0 && value && opt.mdev_parent_count < MAX_DECLARED) {
			json_t *checked = declared_parent(value);
			if (!checked) {
				fprintf(stderr, "vfio-tck-agent: --mdev-parent %s: expected NAME:DRIVER:MODULE:TYPE/driver|TYPE/core/MAX[,...]\n", value);
				exit(2);
			}
			json_decref(checked);
			opt.mdev_parents[opt.mdev_parent_count++] = argv[++i];
		} else if (strcmp(a, "--bind-vfio-pci") == 0 && value) {
			for (char *save, *one = strtok_r(argv[++i], ",", &save); one; one = strtok_r(NULL, ",", &save))
				if (opt.vfio_pci_count < MAX_DECLARED && opt.device_count < MAX_DECLARED)
					opt.devices[opt.device_count++] = opt.vfio_pci[opt.vfio_pci_count++] = one;
		} else if (strcmp(a, "--device") == 0 && value && opt.device_count < MAX_DECLARED)
			opt.devices[opt.device_count++] = argv[++i];
		else if (strcmp(a, "--create-mdev") == 0 && value && strchr(value, ':')) {
			for (char *save, *one = strtok_r(argv[++i], ",", &save); one; one = strtok_r(NULL, ",", &save)) {
				const char *colon = strchr(one, ':');
				if (!colon || opt.mdev_count == MAX_DECLARED) {
					fprintf(stderr, "vfio-tck-agent: --create-mdev %s: expected TYPE:UUID[,TYPE:UUID...]\n", one);
					exit(2);
				}
				struct created_mdev *m = &opt.mdevs[opt.mdev_count++];
				snprintf(m->type, sizeof(m->type), "%.*s", (int)(colon - one), one);
				snprintf(m->uuid, sizeof(m->uuid), "%s", colon + 1);
			}
		} else if (strcmp(a, "--vfio-open") == 0 && value) {
			i++;
			if (strcmp(value, "cdev") == 0)
				vfio_open_mode = VFIO_OPEN_CDEV;
			else if (strcmp(value, "group") == 0)
				vfio_open_mode = VFIO_OPEN_GROUP;
			else if (strcmp(value, "auto") == 0)
				vfio_open_mode = VFIO_OPEN_AUTO;
			else {
				usage(stderr);
				exit(2);
			}
		} else if (strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		} else {
			fprintf(stderr, "vfio-tck-agent: unknown or incomplete option %s\n", a);
			usage(stderr);
			exit(2);
		}
	}
}

/* --- as the initramfs /init ---------------------------------------------------------- */
static void mount_kernel_file_systems(void)
{
	static const struct { const char *type, *dir; } fs[] = {
		{ "proc", "/proc" }, { "sysfs", "/sys" }, { "devtmpfs", "/dev" },
	};
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		mkdir(fs[i].dir, 0755);
		if (mount(fs[i].type, fs[i].dir, fs[i].type, 0, NULL) < 0 && errno != EBUSY)
			logf("mounting %s on %s: %s", fs[i].type, fs[i].dir, strerror(errno));
	}
	if (fcntl(2, F_GETFD) < 0) { /* no /dev/console when the kernel started us */
		int fd = open("/dev/console", O_RDWR);
		for (int i = 0; fd >= 0 && i <= 2; i++)
			if (fd != i)
				dup2(fd, i);
	}
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	_exit(0); /* not reached */
}

/* 8-bit clean, no echo, no line editing, no flow control. */
static int open_serial(const char *dev)
{
	int fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		logf("opening %s: %s", dev, strerror(errno));
		return -1;
	}
	struct termios t;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cflag &= ~(tcflag_t)CRTSCTS;
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		if (tcsetattr(fd, TCSANOW, &t) < 0)
			logf("raw mode on %s: %s", dev, strerror(errno));
	}
	return fd;
}

/* --- the channel ------------------------------------------------------------------------- */
static bool write_all(const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(out_fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static bool send_json(json_t *answer)
{
	char *text = json_dumps(answer, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!text)
		return false;
	size_t len = strlen(text);
	text[len] = '\n'; /* json_dumps leaves room for its NUL, which becomes the line end */
	bool ok = write_all(text, len + 1);
	free(text);
	return ok;
}

/* One line at a time from in_fd; NULL at end of input. */
static char *next_line(size_t *len)
{
	static char *buf;
	static size_t cap, used, start;
	for (;;) {
		char *nl = memchr(buf + start, '\n', used - start);
		if (buf && nl) {
			char *line = buf + start;
			*len = (size_t)(nl - line);
			*nl = 0;
			start = (size_t)(nl - buf) + 1;
			return line;
		}
		if (start > 0) {
			memmove(buf, buf + start, used - start);
			used -= start;
			start = 0;
		}
		if (used == cap) {
			size_t bigger = cap ? cap * 2 : 1 << 16;
			char *grown = realloc(buf, bigger);
			if (!grown)
				return NULL;
			buf = grown;
			cap = bigger;
		}
		ssize_t n = read(in_fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		used += (size_t)n;
	}
}

/* --- session ops ------------------------------------------------------------------------- */
static bool declared_fixed(const char *release)
{
	return opt.fsm_fixed || kernel_has_change(release, "fsm-error-loop-fixed");
}

static void link_name(const char *dir, const char *link, char *out, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, link);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	out[0] = 0;
	if (n <= 0)
		return;
	target[n] = 0;
	const char *slash = strrchr(target, '/');
	snprintf(out, size, "%s", slash ? slash + 1 : target);
}

static json_t *declared_device(const char *path)
{
	char driver[256], type[256];
	link_name(path, "driver", driver, sizeof(driver));
	link_name(path, "mdev_type", type, sizeof(type));
	json_t *device = json_pack("{s:s,s:[s],s:s}", "path", path, "roles", "vfio-migration", "driver",
				   driver[0] ? driver : "unbound");
	if (type[0]) {
		json_object_set_new(device, "mdev_type", json_string(type));
		char description[320];
		snprintf(description, sizeof(description), "%s mediated device", type);
		json_object_set_new(device, "description", json_string(description));
	}
	return device;
}

static void op_hello(json_t *req, struct reply *r)
{
	(void)req;
	struct utsname u;
	uname(&u);
	json_t *devices = json_array();
	/* Real devices first: a scenario that any device without migration fits
	 * then runs on a real PCI device rather than a sample mdev. */
	for (int i = 0; i < opt.device_count; i++)
		json_array_append_new(devices, declared_device(opt.devices[i]));
	for (int i = 0; i < opt.mdev_count; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", opt.mdevs[i].uuid);
		if (access(path, F_OK) == 0)
			json_array_append_new(devices, declared_device(path));
	}
	json_t *roles = json_array();
	if (json_array_size(devices) > 0)
		json_array_append_new(roles, json_string("vfio-migration"));
	if (opt.mdev_role && access("/sys/class/mdev_bus", F_OK) == 0)
		json_array_append_new(roles, json_string("mdev"));
	json_t *parents = json_array();
	for (int i = 0; i < opt.mdev_parent_count; i++)
		json_array_append_new(parents, declared_parent(opt.mdev_parents[i]));
	json_t *options = json_pack("{s:s}", "vfio_open", vfio_open_mode_name());
	if (declared_fixed(u.release))
		json_object_set_new(options, "fsm_error_loop_fixed", json_true());
	/* The test hooks, where the lab's test driver is loaded (hooks.c). */
	json_t *capabilities = test_driver_present() ? json_pack("[s,s]", "device_dma", "migration_arcs") : json_array();
	const char *order = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? "big" : "little";
	reply_ok(r, json_pack("{s:i,s:s,s:s,s:{s:s,s:s,s:s},s:o,s:o,s:o,s:o,s:o}", "protocol", PROTOCOL_VERSION, "name", AGENT_NAME,
			      "version", AGENT_VERSION, "platform", "arch", u.machine, "byte_order", order, "kernel", u.release,
			      "roles", roles, "devices", devices, "mdev_parents", parents, "capabilities", capabilities, "options", options));
}

/* Every scenario starts from the state declared at hello: no fd of an earlier
 * scenario open, no call of it in flight, the modules loaded and only the
 * declared mdevs present. */
static void op_begin_scenario(json_t *req, struct reply *r)
{
	(void)req;
	vfio_close_all_devices();
	fd_close_all_but_internal();
	pending_settle_all(SETTLE_MS);
	mem_free_all();
	int err = modules_restore();
	int mdev_err = mdev_restore_baseline();
	if (!err)
		err = mdev_err;
	if (err)
		return reply_errno(r, err);
	reply_empty(r);
}

static void op_unsupported(json_t *req, struct reply *r)
{
	const char *op = json_string_value(json_object_get(req, "op"));
	if (op && (strcmp(op, "device_dma") == 0 || strcmp(op, "migration_arcs") == 0))
		return reply_unsupported(r, "%s is a test hook inside the driver; only the lab's test driver (tckmig) has one, and it is not loaded", op);
	if (op && (strcmp(op, "admin_command") == 0 || strcmp(op, "admin_trace") == 0))
		return reply_unsupported(r, "%s needs a virtio owner driver interface that Linux does not offer to user space", op);
	reply_unsupported(r, "the Linux agent does not implement %s", op ? op : "this request");
}

static const struct { const char *op; handler_fn fn; } HANDLERS[] = {
	{ "hello", op_hello },
	{ "begin_scenario", op_begin_scenario },
	{ "mem_alloc", op_mem_alloc },
	{ "mem_read", op_mem_read },
	{ "mem_write", op_mem_write },
	{ "open_device", op_open_device },
	{ "open_device_via", op_open_device_via },
	{ "open_cdev", op_open_cdev },
	{ "iommufd_open", op_iommufd_open },
	{ "close", op_close },
	{ "ioctl", op_ioctl },
	{ "read", op_read },
	{ "write", op_write },
	{ "pread", op_pread },
	{ "pwrite", op_pwrite },
	{ "lseek", op_lseek },
	{ "fcntl", op_fcntl },
	{ "poll", op_poll },
	{ "region_info", op_region_info },
	{ "region_read", op_region_read },
	{ "region_write", op_region_write },
	{ "dma_map", op_dma_map },
	{ "mmio_write", op_mmio_write },
	{ "sysfs_read", op_sysfs_read },
	{ "sysfs_write", op_sysfs_write },
	{ "sysfs_list", op_sysfs_list },
	{ "sysfs_readlink", op_sysfs_readlink },
	{ "sysfs_stat", op_sysfs_stat },
	{ "sysfs_write_start", op_sysfs_write_start },
	{ "delete_module_start", op_delete_module_start },
	{ "pending_wait", op_pending_wait },
	{ "device_dma", op_device_dma },
	{ "migration_arcs", op_migration_arcs },
};

static json_t *answer(json_t *id, struct reply *r)
{
	if (r->unsupported[0])
		return json_pack("{s:O,s:b,s:{s:s}}", "id", id, "ok", 0, "unsupported", "reason", r->unsupported);
	if (r->err) {
		json_t *a = json_pack("{s:O,s:b,s:s}", "id", id, "ok", 0, "errno", errno_name(r->err));
		if (r->arg)
			json_object_set(a, "arg", r->arg);
		return a;
	}
	return json_pack("{s:O,s:b,s:O}", "id", id, "ok", 1, "result", r->result);
}

/* Answers one request line; false once the request was stop. */
static bool serve(const char *line, size_t len)
{
	json_error_t error;
	json_t *req = json_loadb(line, len, 0, &error);
	if (!req || !json_is_object(req)) {
		logf("a line that is not a JSON object: %s", error.text);
		json_decref(req);
		return true;
	}
	json_t *id = json_object_get(req, "id");
	const char *op = json_string_value(json_object_get(req, "op"));
	json_t *null_id = json_null();
	if (!id)
		id = null_id;
	bool go_on = true;
	struct reply r = { 0 };
	if (op && strcmp(op, "stop") == 0) {
		reply_empty(&r);
		go_on = false;
	} else {
		handler_fn fn = op_unsupported;
		for (size_t i = 0; op && i < sizeof(HANDLERS) / sizeof(HANDLERS[0]); i++)
			if (strcmp(op, HANDLERS[i].op) == 0)
				fn = HANDLERS[i].fn;
		fn(req, &r);
		if (!r.result && !r.err && !r.unsupported[0])
			reply_errno(&r, EIO);
	}
	json_t *a = answer(id, &r);
	if (!a || !send_json(a))
		logf("could not answer a %s request", op ? op : "malformed");
	json_decref(a);
	json_decref(r.result);
	json_decref(r.arg);
	json_decref(null_id);
	json_decref(req);
	return go_on;
}

int main(int argc, char **argv)
{
	parse_options(argc, argv);
	if (getpid() == 1)
		opt.init = true;
	signal(SIGPIPE, SIG_IGN);
	if (opt.init)
		mount_kernel_file_systems();
	for (int fd = 0; fd <= 2; fd++)
		fd_mark_internal(fd);
	if (opt.serial) {
		in_fd = out_fd = open_serial(opt.serial);
		if (in_fd < 0) {
			if (opt.init)
				power_off();
			return 1;
		}
		fd_mark_internal(in_fd);
	}
	for (int i = 0; i < opt.module_count; i++)
		module_declare(opt.modules[i]);
	int err = modules_restore();
	if (err)
		logf("loading the modules failed: %s", errno_name(err));
	for (int i = 0; i < opt.vfio_pci_count; i++)
		if ((err = pci_bind_vfio(opt.vfio_pci[i])))
			logf("binding %s to vfio-pci failed: %s", opt.vfio_pci[i], errno_name(err));
	for (int i = 0; i < opt.mdev_count; i++)
		mdev_declare(opt.mdevs[i].type, opt.mdevs[i].uuid);
	mdev_note_baseline();
	if (opt.ready_line)
		write_all("vfio-tck-agent ready\n", 21);

	size_t len;
	char *line;
	while ((line = next_line(&len)))
		if (len > 0 && !serve(line, len))
			break;

	vfio_close_all_devices();
	fd_close_all_but_internal();
	pending_settle_all(1000);
	if (opt.init) {
		if (opt.serial)
			tcdrain(out_fd);
		power_off();
	}
	mdev_remove_declared();
	return 0;
}
