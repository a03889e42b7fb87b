// SPDX-License-Identifier: GPL-2.0
/*
 * The uAPI's return codes where kernels differ: the specification by kernel
 * version, a fixed table (uapi.c), never read from the code under test. A
 * tree's own code says what it does; this says what its version promises.
 */
#ifndef KVM_HVA_FUZZ_UAPI_H
#define KVM_HVA_FUZZ_UAPI_H

/*
 * The errno KVM_SET_USER_MEMORY_REGION2 returns for a guest_memfd range that
 * another memslot binds, on kernel VERSION ("X.Y.Z"). CODE is what the tree's
 * own binding code returns (extracted/roots.txt, errno): it is taken only where
 * the version allows either (a stable line the table cannot tell), or where
 * FROM_CODE says the run takes the code as its specification (check-patch with
 * the change declared intended). *WHY says where the answer came from.
 */
int uapi_gmem_taken_binding(const char *version, int code, int from_code, const char **why);

#endif
