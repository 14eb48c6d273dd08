/* sysfs as a program running as root reads and writes it, and the calls that
 * may block in the kernel (remove or unbind of a device that is open,
 * delete_module): those run in a child that holds none of the agent's other
 * fds, so it never waits on a device fd of its own, and report through a pipe. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "agent.h"

#define MAX_FILE (1 << 26) /* 64 MiB: the longest answer line the suite accepts holds its hex */

void op_sysfs_read(json_t *req, struct reply *r)
{
	const char *path;
	if (!field_str(req, "path", &path, r))
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return reply_errno(r, errno);
	size_t size = 4096, len = 0;
	uint8_t *buf = malloc(size);
	int err = buf ? 0 : ENOMEM;
	bool too_big = false;
	while (!err) {
		if (len == size) {
			if (size >= MAX_FILE) {
				too_big = true;
				break;
			}
			uint8_t *bigger = realloc(buf, size * 2);
			if (!bigger) {
				err = ENOMEM;
				break;
			}
			buf = bigger;
			size *= 2;
		}
		ssize_t n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = errno;
		else if (n == 0)
			break;
		else
			len += (size_t)n;
	}
	close(fd);
	if (too_big)
		reply_unsupported(r, "%s is longer than the %d MiB the agent reads", path, MAX_FILE >> 20);
	else if (err)
		reply_errno(r, err);
	else
		reply_ok(r, json_pack("{s:o}", "data", hex_string(buf, len)));
	free(buf);
}

/* open + one write(2) of exactly these bytes + close: what write returned, or the errno. */
static int write_once(const char *path, const uint8_t *data, size_t len, ssize_t *count)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ssize_t n = write(fd, data, len);
	int err = n < 0 ? errno : 0;
	if (close(fd) < 0 && !err && errno != EINTR)
		err = errno; /* kernfs reports nothing at close, but a real file system may */
	*count = n;
	return err;
}

void op_sysfs_write(json_t *req, struct reply *r)
{
	const char *path;
	uint8_t *data;
	size_t len;
	if (!field_str(req, "path", &path, r) || !field_hex(req, "data", &data, &len, false, r))
		return;
	ssize_t count;
	int err = write_once(path, data, len, &count);
	free(data);
	if (err)
		return reply_errno(r, err);
	reply_ok(r, json_pack("{s:I}", "count", (json_int_t)count));
}

void op_sysfs_list(json_t *req, struct reply *r)
{
	const char *path;
	if (!field_str(req, "path", &path, r))
		return;
	DIR *dir = opendir(path);
	if (!dir)
		return reply_errno(r, errno);
	json_t *entries = json_array();
	struct dirent *entry;
	errno = 0;
	while ((entry = readdir(dir))) {
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
			json_array_append_new(entries, json_string(entry->d_name));
		errno = 0;
	}
	int err = errno;
	closedir(dir);
	if (err) {
		json_decref(entries);
		return reply_errno(r, err);
	}
	reply_ok(r, json_pack("{s:o}", "entries", entries));
}

void op_sysfs_readlink(json_t *req, struct reply *r)
{
	const char *path;
	if (!field_str(req, "path", &path, r))
		return;
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return reply_errno(r, errno);
	target[n] = 0;
	reply_ok(r, json_pack("{s:s}", "target", target));
}

void op_sysfs_stat(json_t *req, struct reply *r)
{
	const char *path;
	if (!field_str(req, "path", &path, r))
		return;
	struct stat st;
	if (lstat(path, &st) < 0)
		return reply_errno(r, errno);
	const char *type = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" :
		S_ISCHR(st.st_mode) ? "char" : NULL;
	if (!type)
		return reply_unsupported(r, "%s is a block device, fifo or socket, which the contract has no type for", path);
	reply_ok(r, json_pack("{s:s,s:i}", "type", type, "mode", (int)(st.st_mode & 07777)));
}

/* --- calls in flight ------------------------------------------------------------------- */
struct outcome { int32_t ok, err; int64_t count; };
struct pending { int id; pid_t pid; int fd; struct pending *next; };
static struct pending *pendings;
static int next_pending;

/* In the child: keep only the result pipe (as fd 3) and /dev/null as the standard streams. */
static void isolate(int result_fd)
{
	if (result_fd != 3 && dup2(result_fd, 3) < 0)
		_exit(127);
	if (syscall(SYS_close_range, 4U, ~0U, 0U) < 0) {
		for (int fd = 4; fd < 65536; fd++)
			close(fd);
	}
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd <= 2; fd++) {
		if (null >= 0)
			dup2(null, fd);
		else
			close(fd);
	}
	if (null > 3)
		close(null);
}

static void report(struct outcome outcome)
{
	ssize_t n = write(3, &outcome, sizeof(outcome));
	_exit(n == (ssize_t)sizeof(outcome) ? 0 : 1);
}

/* Forks a child that runs call() and reports its outcome; -errno on failure to start. */
static int pending_start(struct outcome (*call)(const void *), const void *arg)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return -err;
	}
	if (pid == 0) {
		isolate(pipefd[1]);
		report(call(arg));
	}
	close(pipefd[1]);
	struct pending *p = malloc(sizeof(*p));
	if (!p) {
		close(pipefd[0]);
		return -ENOMEM;
	}
	fd_mark_internal(pipefd[0]);
	*p = (struct pending){ .id = next_pending++, .pid = pid, .fd = pipefd[0], .next = pendings };
	pendings = p;
	return p->id;
}

static void pending_forget(struct pending *p, bool reap)
{
	for (struct pending **at = &pendings; *at; at = &(*at)->next)
		if (*at == p) {
			*at = p->next;
			break;
		}
	fd_unmark_internal(p->fd);
	close(p->fd);
	if (reap)
		waitpid(p->pid, NULL, 0);
	free(p);
}

/* Waits up to timeout_ms; true with the outcome once the child reported (or died). */
static bool pending_poll(struct pending *p, int timeout_ms, struct outcome *out)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	int ready;
	do
		ready = poll(&pfd, 1, timeout_ms);
	while (ready < 0 && errno == EINTR);
	if (ready <= 0)
		return false;
	if (read(p->fd, out, sizeof(*out)) != (ssize_t)sizeof(*out))
		*out = (struct outcome){ .ok = 0, .err = EIO }; /* the child died without a word */
	return true;
}

struct write_call { const char *path; const uint8_t *data; size_t len; };

static struct outcome write_in_child(const void *arg)
{
	const struct write_call *call = arg;
	ssize_t count = 0;
	int err = write_once(call->path, call->data, call->len, &count);
	return (struct outcome){ .ok = !err, .err = err, .count = count };
}

void op_sysfs_write_start(json_t *req, struct reply *r)
{
	struct write_call call;
	uint8_t *data;
	if (!field_str(req, "path", &call.path, r) || !field_hex(req, "data", &data, &call.len, false, r))
		return;
	call.data = data;
	int id = pending_start(write_in_child, &call);
	free(data);
	if (id < 0)
		return reply_errno(r, -id);
	reply_ok(r, json_pack("{s:i}", "pending", id));
}

int sysfs_write_isolated(const char *path, const char *data, size_t len, int timeout_ms)
{
	struct write_call call = { .path = path, .data = (const uint8_t *)data, .len = len };
	int id = pending_start(write_in_child, &call);
	if (id < 0)
		return -id;
	struct pending *p = pendings; /* the newest is first */
	struct outcome out;
	if (!pending_poll(p, timeout_ms, &out)) {
		kill(p->pid, SIGKILL);
		pending_forget(p, false);
		return ETIMEDOUT;
	}
	pending_forget(p, true);
	return out.ok ? 0 : out.err;
}

static struct outcome delete_in_child(const void *arg)
{
	/* O_NONBLOCK as rmmod passes it: a module in use is refused, not waited for. */
	long ret = syscall(SYS_delete_module, (const char *)arg, O_NONBLOCK);
	return (struct outcome){ .ok = ret == 0, .err = ret == 0 ? 0 : errno };
}

void op_delete_module_start(json_t *req, struct reply *r)
{
	const char *name;
	if (!field_str(req, "name", &name, r))
		return;
	bool supported;
	if (!module_is_loaded(name, &supported)) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "/sys/module/%s", name);
		if (!supported)
			return reply_unsupported(r, "this kernel has no loadable modules (CONFIG_MODULES is off): %s cannot be unloaded", name);
		if (access(dir, F_OK) == 0)
			return reply_unsupported(r, "%s is built into this kernel, so it cannot be unloaded", name);
	}
	int id = pending_start(delete_in_child, name);
	if (id < 0)
		return reply_errno(r, -id);
	reply_ok(r, json_pack("{s:i}", "pending", id));
}

void op_pending_wait(json_t *req, struct reply *r)
{
	long long id, timeout;
	if (!field_int(req, "pending", &id, r) || !field_int(req, "timeout_ms", &timeout, r))
		return;
	struct pending *p = pendings;
	while (p && p->id != id)
		p = p->next;
	if (!p)
		return reply_errno(r, ENOENT);
	struct outcome out;
	if (!pending_poll(p, (int)timeout, &out))
		return reply_ok(r, json_pack("{s:b}", "done", 0));
	pending_forget(p, true);
	json_t *outcome = out.ok ? json_pack("{s:b,s:I}", "ok", 1, "count", (json_int_t)out.count)
				 : json_pack("{s:b,s:s}", "ok", 0, "errno", errno_name(out.err));
	reply_ok(r, json_pack("{s:b,s:o}", "done", 1, "outcome", outcome));
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void pending_settle_all(int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	while (pendings) {
		struct pending *p = pendings;
		struct outcome out;
		long long left = deadline - now_ms();
		if (pending_poll(p, left > 0 ? (int)left : 0, &out)) {
			pending_forget(p, true);
		} else {
			logf("a pending call (child %d) still blocks; leaving it behind", (int)p->pid);
			kill(p->pid, SIGKILL);
			pending_forget(p, false);
		}
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		; /* children left behind earlier, and orphans when the agent is init */
}
