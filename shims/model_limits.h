/* MODEL: the sizes of the models' tables, defined once; kernel-free, so the reference model shares them. */
// SPDX-License-Identifier: GPL-2.0
#ifndef KVM_HVA_FUZZ_MODEL_LIMITS_H
#define KVM_HVA_FUZZ_MODEL_LIMITS_H

/* guest_memfd fds the model hands out (model_gmem.c); one more gets -EMFILE */
#define MODEL_MAX_FILES 16
#define MODEL_MAX_CLOSED_FILES 64	/* files closed in one run, freed at VM teardown */

#endif
