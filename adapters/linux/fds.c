/* The agent's own fds (the protocol channel, pipes of pending calls, the
 * iommufd or container behind a device) against the fds it hands out. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include "agent.h"

#define TRACKED_FDS 65536
static uint8_t internal[TRACKED_FDS / 8];

void fd_mark_internal(int fd)
{
	if (fd >= 0 && fd < TRACKED_FDS)
		internal[fd / 8] |= (uint8_t)(1u << (fd % 8));
}

void fd_unmark_internal(int fd)
{
	if (fd >= 0 && fd < TRACKED_FDS)
		internal[fd / 8] &= (uint8_t)~(1u << (fd % 8));
}

bool fd_is_internal(int fd)
{
	return fd >= 0 && fd < TRACKED_FDS && (internal[fd / 8] & (1u << (fd % 8)));
}

/* One pass over /proc/self/fd closes up to a batch; passes go on until one finds nothing. */
void fd_close_all_but_internal(void)
{
	for (;;) {
		int fds[1024], count = 0;
		DIR *dir = opendir("/proc/self/fd");
		if (!dir) {
			struct rlimit limit;
			int max = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < TRACKED_FDS ? (int)limit.rlim_cur : 4096;
			for (int fd = 0; fd < max; fd++)
				if (!fd_is_internal(fd))
					close(fd);
			return;
		}
		struct dirent *entry;
		while (count < (int)(sizeof(fds) / sizeof(fds[0])) && (entry = readdir(dir))) {
			if (entry->d_name[0] == '.')
				continue;
			int fd = atoi(entry->d_name);
			if (fd != dirfd(dir) && !fd_is_internal(fd))
				fds[count++] = fd;
		}
		closedir(dir);
		if (count == 0)
			return;
		for (int i = 0; i < count; i++)
			close(fds[i]);
	}
}
