/* The test hooks device_dma and migration_arcs, answered through the files the
 * lab's test driver (lab/test-driver/tckmig.c) keeps in each of its mdevs'
 * directories: <dev>/tckmig/arcs (read: the arcs since the last read, one
 * "<from> <to>" line each) and <dev>/tckmig/dma (write "<iova hex> <data hex>
 * [p]"). A device without those files, any other driver's, answers
 * unsupported: the hook is inside the driver, and only tckmig has one. */
#include "agent.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HOOK_DIR "tckmig"

bool test_driver_present(void)
{
	return access("/sys/class/mdev_bus/" HOOK_DIR, F_OK) == 0;
}

/* The path of one hook file of the device behind fd, or false (answered). */
static bool hook_path(json_t *req, const char *file, char *path, size_t size, struct reply *r)
{
	long long fd;
	if (!field_int(req, "fd", &fd, r))
		return false;
	const char *dir = vfio_device_dir((int)fd);
	if (!dir) {
		reply_errno(r, EBADF);
		return false;
	}
	snprintf(path, size, "%s/" HOOK_DIR "/%s", dir, file);
	if (access(path, F_OK) != 0) {
		reply_unsupported(r, "%s has no test hook: only the lab's test driver (tckmig) offers one", dir);
		return false;
	}
	return true;
}

void op_migration_arcs(json_t *req, struct reply *r)
{
	char path[PATH_MAX];
	if (!hook_path(req, "arcs", path, sizeof(path), r))
		return;
	FILE *f = fopen(path, "re");
	if (!f)
		return reply_errno(r, errno);
	json_t *arcs = json_array();
	unsigned from, to;
	while (fscanf(f, "%u %u", &from, &to) == 2)
		json_array_append_new(arcs, json_pack("[i,i]", (json_int_t)from, (json_int_t)to));
	fclose(f);
	reply_ok(r, json_pack("{s:o}", "arcs", arcs));
}

void op_device_dma(json_t *req, struct reply *r)
{
	char path[PATH_MAX];
	uint64_t iova;
	uint8_t *data;
	size_t len;
	if (!hook_path(req, "dma", path, sizeof(path), r) || !field_u64(req, "iova", &iova, r) ||
	    !field_hex(req, "data", &data, &len, false, r))
		return;
	bool peer = json_is_true(json_object_get(req, "peer"));
	/* Longer than one page of sysfs input: the driver could not take it. */
	if (len * 2 + 40 > 4096) {
		free(data);
		return reply_errno(r, E2BIG);
	}
	char line[4096];
	int n = snprintf(line, sizeof(line), "%llx ", (unsigned long long)iova);
	for (size_t i = 0; i < len; i++)
		n += snprintf(line + n, sizeof(line) - n, "%02x", data[i]);
	free(data);
	if (peer)
		n += snprintf(line + n, sizeof(line) - n, " p");
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return reply_errno(r, errno);
	ssize_t written = write(fd, line, n);
	int err = written < 0 ? errno : 0;
	close(fd);
	if (err)
		return reply_errno(r, err);
	reply_empty(r);
}
