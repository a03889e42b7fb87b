/* MODEL: guest_memfd files: the fd table, the range xarray of bindings, what __kvm_gmem_create() leaves. */
// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

HARNESS_NO_COVERAGE_BEGIN

/* ---- xarray (ranges) ---------------------------------------------------------- */

bool xa_empty(const struct xarray *xa)
{
	return xa->nr == 0;
}

void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max, unsigned int filter)
{
	struct model_xa_range *best = NULL;

	(void)filter;
	for (int i = 0; i < xa->nr; i++) {
		struct model_xa_range *r = &xa->ranges[i];

		if (r->last < *index || r->first > max)
			continue;
		if (!best || r->first < best->first)
			best = r;
	}
	if (!best)
		return NULL;
	if (best->first > *index)
		*index = best->first;
	return best->entry;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	unsigned long i = index;
	void *e = xa_find(xa, &i, index, XA_PRESENT);

	return i == index && !xa_is_zero(e) ? e : NULL;	/* a reservation reads as NULL */
}

static void xa_erase_range(struct xarray *xa, unsigned long first, unsigned long last)
{
	for (int i = 0; i < xa->nr; i++) {
		struct model_xa_range r = xa->ranges[i];

		if (r.last < first || r.first > last)
			continue;
		xa->ranges[i] = xa->ranges[--xa->nr];
		i--;
		/* keep the parts outside [first, last] */
		if (r.first < first)
			xa_store_range(xa, r.first, first - 1, r.entry, 0);
		if (r.last > last)
			xa_store_range(xa, last + 1, r.last, r.entry, 0);
	}
}

void *xa_store_range(struct xarray *xa, unsigned long first, unsigned long last, void *entry, gfp_t gfp)
{
	(void)gfp;
	xa_erase_range(xa, first, last);
	if (!entry)
		return NULL;
	if (xa->nr == xa->cap) {
		int cap = xa->cap ? 2 * xa->cap : 8;
		struct model_xa_range *n = realloc(xa->ranges, cap * sizeof(*n));

		if (!n)
			return ERR_PTR(-ENOMEM);
		xa->ranges = n;
		xa->cap = cap;
	}
	xa->ranges[xa->nr++] = (struct model_xa_range){ first, last, entry };
	return NULL;
}

void xa_destroy(struct xarray *xa)
{
	free(xa->ranges);
	*xa = (struct xarray){ NULL, 0, 0 };
}

/* ---- files: the fd table guest_memfd files live in ------------------------------- */

struct file *model_files[MODEL_MAX_FILES];
struct file_operations kvm_gmem_fops;

struct file *fget(unsigned int fd)
{
	if (fd >= MODEL_MAX_FILES || !model_files[fd])
		return NULL;
	model_files[fd]->f_count++;
	return model_files[fd];
}

void fput(struct file *file)
{
	if (file->f_count <= 0)
		model_fail("fput of a file without references");
	file->f_count--;
}

struct file *get_file_active(struct file **f)
{
	if (!*f || (*f)->f_count <= 0)
		return NULL;
	(*f)->f_count++;
	return *f;
}

#if HAVE_kvm_gmem_create
/*
 * What __kvm_gmem_create() leaves behind (an inode of the given size and flags,
 * a file whose private data links it to this VM, an fd), without the VFS.
 * Kernels with KVM_MEMSLOT_GMEM_ONLY keep the flags in a gmem_inode and the
 * bindings in a gmem_file; older ones keep both in a struct kvm_gmem.
 */
int __kvm_gmem_create(struct kvm *kvm, loff_t size, u64 flags)
{
	struct file *file;
	struct inode *inode;
	int fd;

	for (fd = 0; fd < MODEL_MAX_FILES && model_files[fd]; fd++)
		;
	if (fd == MODEL_MAX_FILES)
		return -EMFILE;
	file = calloc(1, sizeof(*file));
#if HAVE_KVM_MEMSLOT_GMEM_ONLY
	struct gmem_inode *gi = calloc(1, sizeof(*gi));
	struct gmem_file *f = calloc(1, sizeof(*f));

	gi->flags = flags;
	inode = &gi->vfs_inode;
#else
	struct kvm_gmem *f = calloc(1, sizeof(*f));

	(void)flags;
	inode = calloc(1, sizeof(*inode));
#endif
	if (!file || !f || !inode)
		abort();
	inode->i_size = size;
	inode->i_mapping = &inode->i_data;
	file->f_op = &kvm_gmem_fops;
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->private_data = f;
	file->f_count = 1;
	f->kvm = kvm;
	xa_init(&f->bindings);
	model_files[fd] = file;
	return fd;
}
#endif

/* The VM's teardown: free what __kvm_gmem_create() made and empty the fd table. */
void model_gmem_release_files(void)
{
	for (int i = 0; i < MODEL_MAX_FILES; i++) {
		struct file *f = model_files[i];

		if (!f)
			continue;
#if HAVE_kvm_gmem_create
		{
#if HAVE_KVM_MEMSLOT_GMEM_ONLY
			struct gmem_file *gf = f->private_data;

			xa_destroy(&gf->bindings);
			free(gf);
			free(container_of(f->f_inode, struct gmem_inode, vfs_inode));
#else
			struct kvm_gmem *gf = f->private_data;

			xa_destroy(&gf->bindings);
			free(gf);
			free(f->f_inode);
#endif
		}
#endif
		free(f);
		model_files[i] = NULL;
	}
}

HARNESS_NO_COVERAGE_END
