/* MODEL: WARN/BUG in kernel code are recorded as findings, never swallowed. */
// SPDX-License-Identifier: GPL-2.0
#ifndef KVM_HVA_FUZZ_MODEL_WARN_H
#define KVM_HVA_FUZZ_MODEL_WARN_H

/* file/line come from the extracted code's #line, i.e. the kernel source; func names the WARN as syzbot does */
void model_warn(const char *file, int line, const char *func, const char *cond);
__attribute__((__noreturn__)) void model_bug(const char *file, int line, const char *cond);

#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		model_warn(__FILE__, __LINE__, __func__, #condition);	\
	unlikely(__ret_warn_on);					\
})
#define WARN_ON_ONCE(condition) WARN_ON(condition)
#define WARN(condition, format...) WARN_ON(condition)
#define WARN_ONCE(condition, format...) WARN_ON(condition)
#define BUG() model_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(condition) do { if (unlikely(condition)) model_bug(__FILE__, __LINE__, #condition); } while (0)

#endif
