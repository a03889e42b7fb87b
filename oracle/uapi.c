// SPDX-License-Identifier: GPL-2.0
/*
 * The uAPI's return codes where kernels differ (uapi.h). Each row: the kernel
 * versions it covers, the errno they promise, and one more the row also accepts
 * where the version cannot tell (a stable line that may carry a backport).
 */
#include <errno.h>
#include <stdio.h>

#include "uapi.h"

#define V(x, y, z) ((x) * 65536L + (y) * 256L + ((z) > 255 ? 255 : (z)))

struct uapi_row {
	long from, to;		/* versions, both included */
	int err, also;		/* the promise, and another errno accepted (0: none) */
	const char *why;
};

/*
 * A guest_memfd range another memslot binds. kvm_gmem_bind() returned -EINVAL
 * from guest_memfd's start (6.8); "KVM: guest_memfd: Return -EEXIST for
 * overlapping bindings" made it -EEXIST in 7.2 (the guest_memfd pull for 7.2),
 * as KVM_SET_USER_MEMORY_REGION2's other overlaps are, and stable 6.12.118 has
 * its backport (Debian 6.12.113 returns -EINVAL, 6.12.118 -EEXIST). The lines
 * between 6.12 and 7.2 may have the backport or not: either is accepted there.
 */
static const struct uapi_row gmem_taken_binding[] = {
	{ V(6, 8, 0), V(6, 12, 117), -EINVAL, 0, "before the fix (6.8-6.12.117)" },
	{ V(6, 12, 118), V(6, 12, 255), -EEXIST, 0, "6.12.118 has the fix's backport" },
	{ V(6, 13, 0), V(7, 1, 255), -EINVAL, -EEXIST, "6.13-7.1: before the fix, or its backport" },
	{ V(7, 2, 0), V(255, 255, 255), -EEXIST, 0, "the fix (7.2)" },
};

static long version_code(const char *version)
{
	int x = 0, y = 0, z = 0;

	if (!version || sscanf(version, "%d.%d.%d", &x, &y, &z) < 2)
		return -1;
	return V(x, y, z);
}

int uapi_gmem_taken_binding(const char *version, int code, int from_code, const char **why)
{
	long v = version_code(version);

	if (from_code) {
		*why = "the code's own (declared intended)";
		return code;
	}
	for (unsigned int i = 0; i < sizeof(gmem_taken_binding) / sizeof(gmem_taken_binding[0]); i++) {
		const struct uapi_row *r = &gmem_taken_binding[i];

		if (v < r->from || v > r->to)
			continue;
		*why = r->why;
		return r->also && code == r->also ? r->also : r->err;
	}
	/* older than guest_memfd: the request never gets there */
	*why = "no guest_memfd";
	return code;
}
