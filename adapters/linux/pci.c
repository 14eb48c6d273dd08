/* Binding a PCI device to vfio-pci at start, as an administrator does it:
 * driver_override names vfio-pci, the device leaves the driver it has, and
 * drivers_probe asks the PCI bus to match it again (now only vfio-pci can). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "agent.h"

int pci_bind_vfio(const char *dev)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *bdf = strrchr(dev, '/');
	bdf = bdf ? bdf + 1 : dev;
	snprintf(path, sizeof(path), "%s/driver", dev);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = 0;
		if (strcmp(strrchr(target, '/') ? strrchr(target, '/') + 1 : target, "vfio-pci") == 0)
			return 0;
	}
	snprintf(path, sizeof(path), "%s/driver_override", dev);
	int err = write_text(path, "vfio-pci");
	if (err)
		return err;
	if (n > 0) {
		snprintf(path, sizeof(path), "%s/driver/unbind", dev);
		if ((err = write_text(path, bdf)))
			return err;
	}
	if ((err = write_text("/sys/bus/pci/drivers_probe", bdf)))
		return err;
	snprintf(path, sizeof(path), "%s/driver", dev);
	return access(path, F_OK) == 0 ? 0 : ENODEV;
}
