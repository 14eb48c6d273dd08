/* Loadable modules: the ones the agent loads at start (the lab's mdev sample
 * drivers) are loaded again before a scenario when an earlier one unloaded
 * them, so every scenario starts with the same parents. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "agent.h"

#define MAX_MODULES 32

static struct { char path[256]; char name[64]; } modules[MAX_MODULES];
static int module_count;

bool module_is_loaded(const char *name, bool *modules_supported)
{
	FILE *f = fopen("/proc/modules", "re");
	*modules_supported = f != NULL;
	if (!f)
		return false;
	char line[512];
	size_t len = strlen(name);
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = strncmp(line, name, len) == 0 && line[len] == ' ';
	fclose(f);
	return found;
}

static int load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int err = syscall(SYS_finit_module, fd, "", 0) < 0 ? errno : 0;
	close(fd);
	return err == EEXIST ? 0 : err;
}

void module_declare(const char *path)
{
	if (module_count == MAX_MODULES)
		return;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".ko") == 0)
		len -= 3;
	snprintf(modules[module_count].path, sizeof(modules[0].path), "%s", path);
	snprintf(modules[module_count].name, sizeof(modules[0].name), "%.*s", (int)len, base);
	for (char *c = modules[module_count].name; *c; c++)
		if (*c == '-')
			*c = '_'; /* the kernel names modules with underscores */
	module_count++;
}

/* Loads every declared module that is not loaded, in rounds, so that a module
 * whose symbols another one provides loads once that one has (finit_module
 * fails with ENOENT on an unknown symbol). */
int modules_restore(void)
{
	int err = 0;
	for (bool progress = true; progress;) {
		progress = false;
		err = 0;
		for (int i = 0; i < module_count; i++) {
			bool supported;
			if (module_is_loaded(modules[i].name, &supported))
				continue;
			int failed = load(modules[i].path);
			if (!failed)
				progress = true;
			else if (!err)
				err = failed;
		}
	}
	return err;
}
