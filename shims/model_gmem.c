/* MODEL: guest_memfd files: the fd table, the range xarray of bindings, what __kvm_gmem_create() leaves. */
// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
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
	if (*index > max)
		return NULL;
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

void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max, unsigned int filter)
{
	unsigned long next;

	/* past the range holding *index: each range is visited once */
	for (int i = 0; i < xa->nr; i++)
		if (xa->ranges[i].first <= *index && *index <= xa->ranges[i].last)
			*index = xa->ranges[i].last;
	if (*index >= max)
		return NULL;
	next = *index + 1;
	*index = next;
	return xa_find(xa, index, max, filter);
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
char model_gmem_freed_touch[160];
/* released files, until VM teardown frees them (the kernel frees them after .release) */
static struct file *closed_files[MODEL_MAX_CLOSED_FILES];
static int nr_closed;

static bool touched_released(const struct file *file, const char *what)
{
	if (!file->released)
		return false;
	if (!model_gmem_freed_touch[0])
		snprintf(model_gmem_freed_touch, sizeof(model_gmem_freed_touch),
			 "%s of a guest_memfd file its release already freed", what);
	return true;
}

struct file *fget(unsigned int fd)
{
	if (fd >= MODEL_MAX_FILES || !model_files[fd])
		return NULL;
	model_files[fd]->f_count++;
	return model_files[fd];
}

void fput(struct file *file)
{
	if (touched_released(file, "fput"))
		return;
	if (file->f_count <= 0)
		model_fail("fput of a file without references");
	file->f_count--;
}

struct file *get_file_active(struct file **f)
{
	if (*f && touched_released(*f, "get_file_active"))
		return NULL;
	if (!*f || (*f)->f_count <= 0)
		return NULL;
	(*f)->f_count++;
	return *f;
}

struct file *get_file(struct file *f)
{
	if (touched_released(f, "get_file"))
		return f;
	if (f->f_count <= 0)
		model_fail("get_file of a file without references");
	f->f_count++;
	return f;
}

/* The files' references on the VM (its teardown is the harness's: the count only has to balance). */
static long vm_refs;

void kvm_get_kvm(struct kvm *kvm)
{
	(void)kvm;
	vm_refs++;
}

void kvm_put_kvm(struct kvm *kvm)
{
	(void)kvm;
	if (--vm_refs < 0)
		model_fail("kvm_put_kvm without a reference");
}

struct file *model_gmem_close(int fd)
{
	struct file *file;

	if (fd < 0 || fd >= MODEL_MAX_FILES || !model_files[fd])
		return NULL;
	file = model_files[fd];
	model_files[fd] = NULL;
	if (--file->f_count > 0)
		model_fail("close of guest_memfd %d: %ld reference(s) left besides the fd's", fd, file->f_count);
	return file;
}

void model_gmem_released(struct file *file)
{
	file->released = true;
	if (nr_closed == MODEL_MAX_CLOSED_FILES)	/* a scenario closes at most half its operations' files */
		model_fail("more than %d guest_memfd files closed in one run", MODEL_MAX_CLOSED_FILES);
	else
		closed_files[nr_closed++] = file;
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
	INIT_LIST_HEAD(&gi->gmem_file_list);
#else
	struct kvm_gmem *f = calloc(1, sizeof(*f));

	(void)flags;
	inode = calloc(1, sizeof(*inode));
#endif
	if (!file || !f || !inode)
		abort();
	/* the kernel's kzalloc: its .release kfree()s it */
	model.allocations++;
	inode->i_size = size;
	inode->i_mapping = &inode->i_data;
	INIT_LIST_HEAD(&inode->i_data.i_private_list);
#if HAVE_KVM_MEMSLOT_GMEM_ONLY
	list_add(&f->entry, &gi->gmem_file_list);
#else
	list_add(&f->entry, &inode->i_data.i_private_list);
#endif
	file->f_op = &kvm_gmem_fops;
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->private_data = f;
	file->f_count = 1;
	kvm_get_kvm(kvm);
	f->kvm = kvm;
	xa_init(&f->bindings);
	model_files[fd] = file;
	return fd;
}
#endif

/* One file and its inode; the gmem_file too unless .release already freed it. */
static void free_file(struct file *f)
{
#if HAVE_kvm_gmem_create
#if HAVE_KVM_MEMSLOT_GMEM_ONLY
	struct gmem_file *gf = f->private_data;

	free(container_of(f->f_inode, struct gmem_inode, vfs_inode));
#else
	struct kvm_gmem *gf = f->private_data;

	free(f->f_inode);
#endif
	if (!f->released) {
		xa_destroy(&gf->bindings);
		model_free(gf);
		kvm_put_kvm(NULL);
	}
#endif
	free(f);
}

/* The VM's teardown: free what __kvm_gmem_create() made and empty the fd table. */
void model_gmem_release_files(void)
{
	for (int i = 0; i < MODEL_MAX_FILES; i++) {
		if (model_files[i])
			free_file(model_files[i]);
		model_files[i] = NULL;
	}
	while (nr_closed)
		free_file(closed_files[--nr_closed]);
	model_gmem_freed_touch[0] = 0;
}

/* pagecache_api.h: the allocate branch of fallocate, which the harness never issues */
struct folio *model_pagecache_unreached(const char *what)
{
	model_fail("%s: guest_memfd allocation reached, but the harness models no page cache", what);
	return ERR_PTR(-ENOMEM);
}

HARNESS_NO_COVERAGE_END
