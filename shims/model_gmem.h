/* MODEL: files, inodes and the xarray that guest_memfd bindings live in. */
// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd creation (anon inode, pseudo file, fd install) cannot run in
 * userspace; model_gmem.c creates the file and inode the way
 * __kvm_gmem_create() leaves them, and the kernel's own binding code
 * (kvm_gmem_bind / kvm_gmem_prepare_memory_region / _commit_ / unbind) runs
 * on them. fds index a table of these files; fget/fput keep real refcounts.
 */
#ifndef KVM_HVA_FUZZ_MODEL_GMEM_H
#define KVM_HVA_FUZZ_MODEL_GMEM_H

#include "model_limits.h"

/* A range-valued xarray: enough for bindings (ranges of pgoff -> slot). */
struct model_xa_range { unsigned long first, last; void *entry; };
struct xarray {
	struct model_xa_range *ranges;
	int nr, cap;
};
#define XA_PRESENT ((unsigned int)-1)
#define XA_FLAGS_ACCOUNT 0
#define xa_init(xa) (*(xa) = (struct xarray){ NULL, 0, 0 })
#define xa_init_flags(xa, f) xa_init(xa)
bool xa_empty(const struct xarray *xa);
void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max, unsigned int filter);
void *xa_store_range(struct xarray *xa, unsigned long first, unsigned long last, void *entry, gfp_t gfp);
void *xa_load(struct xarray *xa, unsigned long index);
void xa_destroy(struct xarray *xa);
#define xa_err(entry) (IS_ERR(entry) ? (int)PTR_ERR(entry) : 0)
/* the entry after the one holding *index (a range is one multi-index entry, as the kernel's iteration sees it) */
void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max, unsigned int filter);
#define xa_for_each_range(xa, index, entry, start, last) \
	for (index = (start), entry = xa_find((xa), &index, (last), XA_PRESENT); entry; \
	     entry = xa_find_after((xa), &index, (last), XA_PRESENT))
#define xa_for_each(xa, index, entry) xa_for_each_range(xa, index, entry, 0, ULONG_MAX)

/* i_private_list: 6.12 keeps the files of an inode there (7.x: gmem_inode.gmem_file_list) */
struct address_space { struct model_lock invalidate_lock; struct list_head i_private_list; };
struct shared_policy { int unused; };
struct inode {
	loff_t i_size;
	struct address_space *i_mapping;
	struct address_space i_data;
};
struct file_operations { int unused; };
struct file {
	const struct file_operations *f_op;
	void *private_data;
	struct inode *f_inode;
	struct address_space *f_mapping;
	unsigned int f_flags;
	long f_count;
	bool released;		/* the last reference went and .release ran: the kernel frees it now */
};
#define file_inode(f) ((f)->f_inode)
#define i_size_read(inode) ((inode)->i_size)
#define filemap_invalidate_lock(m) model_mutex_lock(&(m)->invalidate_lock, #m, __FILE__, __LINE__)
#define filemap_invalidate_unlock(m) model_mutex_unlock(&(m)->invalidate_lock, #m, __FILE__, __LINE__)
#define filemap_invalidate_lock_shared(m) filemap_invalidate_lock(m)
#define filemap_invalidate_unlock_shared(m) filemap_invalidate_unlock(m)
struct file *fget(unsigned int fd);
void fput(struct file *file);
struct file *get_file_active(struct file **f);
/* a reference more on a file the caller already holds one of (fdget/fdput: a reference, as fget) */
struct file *get_file(struct file *f);
struct fd { struct file *file; };
#define fdget(fd) ((struct fd){ fget(fd) })
#define fdput(f) do { if ((f).file) fput((f).file); } while (0)
#define fd_file(f) ((f).file)
#define fd_empty(f) (!(f).file)
/* the first touch of a released file (fget, fput, get_file_active), for the oracle */
extern char model_gmem_freed_touch[160];

/* The guest_memfd file_operations; its address identifies a guest_memfd. */
extern struct file_operations kvm_gmem_fops;
struct kvm;
int __kvm_gmem_create(struct kvm *kvm, loff_t size, u64 flags);

/* The fd table (MODEL_MAX_FILES, model_limits.h); teardown frees what is in it. */
extern struct file *model_files[MODEL_MAX_FILES];
void model_gmem_release_files(void);
/*
 * close(fd): the fd table drops its reference. Returns the file when that was
 * the last one (the caller runs the file's .release, then model_gmem_released()),
 * NULL if the fd names no file or others still hold it.
 */
struct file *model_gmem_close(int fd);
void model_gmem_released(struct file *file);

#endif
