/* MODEL: x86's memory-attribute hooks: what kvm_arch_pre/post_set_memory_attributes() were asked, and the zap. */
// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/kvm/mmu/mmu.c, as the oracle needs it: the pre hook zaps the
 * range's mappings (x86 zaps whether or not the slot can be private, and the
 * filter it sets selects root types only on VMs with mirrored TDP, which the
 * harness does not model: every mapping of the range goes); the post hook
 * recomputes hugepage eligibility, which changes no mapping. Both record the
 * call (slot, gfns, attributes, mmu_lock, the invalidation counters) for the
 * "attributes" property.
 */
/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

/* kernels without memory attributes (6.1, arm64) call neither hook */
#if HAVE_kvm_vm_ioctl_set_mem_attributes
HARNESS_NO_COVERAGE_BEGIN

static void record(enum model_hook hook, struct kvm *kvm, const struct kvm_gfn_range *range, bool ret)
{
	int n = model.nr_calls;

	model_record_call(hook, kvm, range, ret);
	if (model.nr_calls > n)
		model.calls[n].attributes = range->arg.attributes;
}

bool kvm_arch_pre_set_memory_attributes(struct kvm *kvm, struct kvm_gfn_range *range)
{
	bool flush;

	/* x86's own sanity checks */
	if (WARN_ON_ONCE(!kvm_arch_has_private_mem(kvm)) || WARN_ON_ONCE(range->end <= range->start)) {
		record(HOOK_PRE_SET_ATTRIBUTES, kvm, range, false);
		return false;
	}
#if USES_attr_filter
	/* unmap the old attribute's mappings */
	range->attr_filter = (range->arg.attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE) ? KVM_FILTER_SHARED
										     : KVM_FILTER_PRIVATE;
#endif
	flush = model_unmap_range(range->slot->as_id, range->slot->id, range->start, range->end);
	record(HOOK_PRE_SET_ATTRIBUTES, kvm, range, flush);
	return flush;
}

bool kvm_arch_post_set_memory_attributes(struct kvm *kvm, struct kvm_gfn_range *range)
{
	record(HOOK_POST_SET_ATTRIBUTES, kvm, range, false);
	return false;
}

HARNESS_NO_COVERAGE_END
#endif
