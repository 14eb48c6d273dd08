/* Kernel behaviour changes by release (kernel_changes.h, generated from the
 * suite's table). Kept free of the rest of the agent so the unit tests can
 * compile it alone and compare it with the suite's own rule. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kernel_changes.h"

bool kernel_has_change(const char *release, const char *id);

/* A release as MAJOR.MINOR.PATCH (missing parts 0; "6.12.117-1-amd64" is 6.12.117). */
static void parse_release(const char *text, long v[3])
{
	char *end;
	v[0] = v[1] = v[2] = 0;
	for (int i = 0; i < 3 && *text >= '0' && *text <= '9'; i++) {
		v[i] = strtol(text, &end, 10);
		text = *end == '.' ? end + 1 : end;
		if (*end != '.')
			break;
	}
}

static int compare_releases(const char *a, const char *b)
{
	long x[3], y[3];
	parse_release(a, x);
	parse_release(b, y);
	for (int i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* Whether this release behaves as after a change of kernel_changes.h: the same
 * rule as hasChange() in support/kernel/releases.ts. */
bool kernel_has_change(const char *release, const char *id)
{
	for (size_t i = 0; i < sizeof(KERNEL_CHANGES) / sizeof(KERNEL_CHANGES[0]); i++) {
		const struct kernel_change *c = &KERNEL_CHANGES[i];
		if (strcmp(c->id, id) != 0)
			continue;
		if (c->not_affected_before && compare_releases(release, c->not_affected_before) < 0)
			return true;
		if (c->mainline && compare_releases(release, c->mainline) >= 0)
			return true;
		long r[3];
		parse_release(release, r);
		for (int j = 0; c->stable[j]; j++) {
			long f[3];
			parse_release(c->stable[j], f);
			if (f[0] == r[0] && f[1] == r[1])
				return compare_releases(release, c->stable[j]) >= 0;
		}
		return false;
	}
	return false;
}

