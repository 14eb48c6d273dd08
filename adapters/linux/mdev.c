/* The mdevs the agent creates at start (the devices it declares), and the set
 * of mdevs every scenario starts from: what a scenario created is removed,
 * what it removed of the declared ones is created again. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent.h"

#define MDEV_BUS "/sys/bus/mdev/devices"
#define MDEV_CLASS "/sys/class/mdev_bus"
#define REMOVE_WAIT_MS 3000
#define MAX_BASELINE 256

static char baseline[MAX_BASELINE][40];
static int baseline_count;
static struct created_mdev wanted[MAX_BASELINE];
static int wanted_count;

/* <parent>/mdev_supported_types/<type>/create for the parent offering the type. */
static bool type_create_file(const char *type, char *out, size_t size)
{
	DIR *dir = opendir(MDEV_CLASS);
	if (!dir)
		return false;
	struct dirent *entry;
	bool found = false;
	while (!found && (entry = readdir(dir))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(out, size, MDEV_CLASS "/%s/mdev_supported_types/%s/create", entry->d_name, type);
		found = access(out, F_OK) == 0;
	}
	closedir(dir);
	return found;
}

/* One write(2) of a text to a sysfs file; 0 or the errno. */
int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ssize_t n = write(fd, text, strlen(text));
	int err = n < 0 ? errno : 0;
	close(fd);
	return err;
}

static int create_one(const char *type, const char *uuid, bool *created)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), MDEV_BUS "/%s", uuid);
	*created = false;
	if (access(path, F_OK) == 0)
		return 0;
	if (!type_create_file(type, path, sizeof(path))) {
		logf("no parent offers the mdev type %s", type);
		return ENODEV;
	}
	int err = write_text(path, uuid);
	if (err)
		logf("creating the %s mdev %s failed: %s", type, uuid, errno_name(err));
	*created = !err;
	return err;
}

int mdev_declare(const char *type, const char *uuid)
{
	if (wanted_count == MAX_BASELINE)
		return ENOSPC;
	bool created;
	int err = create_one(type, uuid, &created);
	if (err)
		return err;
	struct created_mdev *m = &wanted[wanted_count++];
	snprintf(m->type, sizeof(m->type), "%s", type);
	snprintf(m->uuid, sizeof(m->uuid), "%s", uuid);
	m->by_agent = created;
	return 0;
}

void mdev_note_baseline(void)
{
	baseline_count = 0;
	DIR *dir = opendir(MDEV_BUS);
	if (!dir)
		return;
	struct dirent *entry;
	while ((entry = readdir(dir)) && baseline_count < MAX_BASELINE)
		if (entry->d_name[0] != '.')
			snprintf(baseline[baseline_count++], sizeof(baseline[0]), "%s", entry->d_name);
	closedir(dir);
}

static bool in_baseline(const char *name)
{
	for (int i = 0; i < baseline_count; i++)
		if (strcmp(baseline[i], name) == 0)
			return true;
	return false;
}

static int remove_mdev(const char *uuid)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), MDEV_BUS "/%s/remove", uuid);
	int err = sysfs_write_isolated(path, "1", 1, REMOVE_WAIT_MS);
	if (err && err != ENOENT)
		logf("removing the mdev %s failed: %s", uuid, errno_name(err));
	return err == ENOENT ? 0 : err;
}

int mdev_restore_baseline(void)
{
	int first = 0;
	DIR *dir = opendir(MDEV_BUS);
	if (dir) {
		char extra[MAX_BASELINE][40];
		int count = 0;
		struct dirent *entry;
		while ((entry = readdir(dir)) && count < MAX_BASELINE)
			if (entry->d_name[0] != '.' && !in_baseline(entry->d_name))
				snprintf(extra[count++], sizeof(extra[0]), "%s", entry->d_name);
		closedir(dir);
		for (int i = 0; i < count; i++) {
			int err = remove_mdev(extra[i]);
			if (err && !first)
				first = err;
		}
	}
	for (int i = 0; i < wanted_count; i++) {
		bool created;
		int err = create_one(wanted[i].type, wanted[i].uuid, &created);
		if (err && !first)
			first = err;
	}
	return first;
}

void mdev_remove_declared(void)
{
	for (int i = 0; i < wanted_count; i++)
		if (wanted[i].by_agent)
			remove_mdev(wanted[i].uuid);
}
