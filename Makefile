# SPDX-License-Identifier: GPL-2.0
#
# What the harness is made of and what is stale. build.sh maps the OSS-Fuzz
# environment to the variables below, runs `make -C <checkout> GOALS...` and
# installs what comes out; it is the only caller (`make` alone says so).
#
#   TREE GEN            the kernel tree (read only) and its extraction directory
#   EXTRACT_ARGS        more arguments for extract.py (build.sh records them in GEN/../extract-inputs)
#   OBJ HOST_OBJ        objects of this flavour (CC, CFLAGS), of the plain host compiler
#   BIN EXTRAS          where the fuzz targets and the replayers/tools are linked
#   CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE   as OSS-Fuzz sets them
#   STANDALONE=yes      no engine: targets get replay_main.c's main
#   REPLAY_CC REPLAY_FLAGS REPLAY_RT   how replayers and tools are linked (plain mains)
#   HOST_CC             converters and the seed filter, run at build time
#
# Objects are rebuilt from compiler-written dependencies (-MMD); links go to a
# fresh staging directory each build (cheap, and the engine library is an input).

# ---- the sources -------------------------------------------------------------------
# Kernel code, compiled with the kernel's own semantics (extracted, and lib/ of the tree):
KERNEL_OBJS = $(1)/gen/kvm_extracted.o $(TREE_OBJS)
TREE_OBJS = $(1)/tree/lib/rbtree.o $(1)/tree/lib/interval_tree.o
# The scenario's text form, kernel-free: the declarations of the operations, their codecs, bytes <-> text.
SCENARIO_SRCS := \
	scenario/scenario_ops.c \
	scenario/scenario_codec.c \
	scenario/scenario_text.c \
	scenario/scenario_parse.c
# The harness every memslot target, replayer and tool links: one line per file.
HARNESS_SRCS := \
	shims/model_state.c \
	shims/model_clock.c \
	shims/model_sync.c \
	shims/model_alloc.c \
	shims/model_mmu.c \
	shims/model_gmem.c \
	shims/model_gup.c \
	shims/model_xarray.c \
	shims/model_attributes.c \
	shims/model_vm.c \
	harness/kvm_adapter.c \
	oracle/reference.c \
	oracle/uapi.c \
	oracle/reference_attrs.c \
	oracle/oracle.c \
	oracle/oracle_memslots.c \
	oracle/verdict.c \
	oracle/report.c \
	harness/driver.c \
	harness/families.c \
	harness/ops/memslot_ops.c \
	harness/ops/mm_ops.c \
	harness/ops/pfncache_ops.c \
	harness/scheduler.c \
	harness/ops/gmem_ops.c \
	harness/ops/fault_ops.c \
	harness/ops/attributes_ops.c \
	$(SCENARIO_SRCS)
# The fuzz targets (build.sh's FUZZ_TARGETS chooses among these; each has its link rule below).
ALL_TARGETS := fuzz_memslot_notifier fuzz_memslot_notifier_gmem_only_untouched_off fuzz_interval_tree
TOOLS := $(basename $(notdir $(wildcard $(CURDIR)/targets/tools/*.c)))

TOP := $(CURDIR)
harness = $(patsubst %.c,$(1)/%.o,$(HARNESS_SRCS))
MEMSLOT_OBJS = $(call KERNEL_OBJS,$(1)) $(call harness,$(1))

# ---- flags -------------------------------------------------------------------------
KVM_ARCH ?= x86
INC = -I$(GEN) -iquote $(TOP)/shims -iquote $(TOP)/shims/arch-$(KVM_ARCH) -iquote $(TOP)/scenario -iquote $(TOP)/harness -iquote $(TOP)/harness/ops -iquote $(TOP)/oracle -iquote $(TOP)/targets -I$(TOP)/shims/include -I$(TREE)
# The kernel Makefile's semantics: wrapping signed arithmetic, no strict aliasing.
KERNEL_CFLAGS := -std=gnu11 -fno-strict-overflow -fno-strict-aliasing -fno-delete-null-pointer-checks \
	-Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers \
	-Wno-unused-variable \
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types
# (-Wno-unused-variable: clang 14 calls guard(mutex)'s cleanup variable unused; newer clang does not)
OUR_CFLAGS := -std=gnu11 -Wall -Wextra -Werror=implicit-function-declaration
HOST_CFLAGS := -O1

# A failed step says which, in one line build.sh picks up ("make: failed: ...").
failed = { echo "make: failed: $(1)" >&2; exit 1; }
# (-MMD writes OBJ.d; a missing .d counts as stale, so objects of an older build are redone; touch: the .o ends newer)
compile = @mkdir -p $(@D) && { $(1) -MMD -MP $(INC) -c $< -o $@ && touch $@; } || $(call failed,compiling $(<:$(TOP)/%=%))
link = @mkdir -p $(@D) && $(1) -o $@ || $(call failed,linking $(@F))

.DELETE_ON_ERROR:
.SUFFIXES:
.PHONY: default print-targets print-scenario-srcs
default:
	@echo "make: run ./build.sh (it sets this Makefile's variables from the OSS-Fuzz environment)" >&2; exit 2
print-targets:
	@echo $(ALL_TARGETS)
print-scenario-srcs:
	@echo $(SCENARIO_SRCS)

ifneq ($(GEN),)
# ---- extraction: once per tree and extractor inputs ----------------------------------
EXTRACT_INPUTS_FILE ?= $(dir $(GEN))extract-inputs
EXTRACT_INPUTS := $(TOP)/extracted/extract.py $(TOP)/extracted/roots.txt $(wildcard $(TOP)/extracted/kconfig*.txt) \
	$(TOP)/harness/kvm_adapter.c $(shell find $(TOP)/shims -type f) $(EXTRACT_INPUTS_FILE)
$(GEN)/stamp: $(EXTRACT_INPUTS)
	@rm -rf $(GEN).tmp
	@python3 $(TOP)/extracted/extract.py --tree $(TREE) --shims $(TOP)/shims --roots $(TOP)/extracted/roots.txt \
		--kconfig $(TOP)/extracted/kconfig.txt $(EXTRACT_ARGS) --out $(GEN).tmp || $(call failed,extracting from $(TREE))
	@touch $(GEN).tmp/stamp && rm -rf $(GEN) && mv $(GEN).tmp $(GEN)
	@echo "make: extracted $$(wc -l < $(GEN)/manifest.txt) definitions into $(GEN)" >&2
$(GEN)/kvm_extracted.c: $(GEN)/stamp ;

# ---- objects: this flavour's (CC CFLAGS) and the host's (HOST_CC) ---------------------------
# $(1) the object directory, $(2) the name of the variable holding its compiler and flags
define objects
$(1)/gen/%.o: $(GEN)/%.c $(1)/gen/%.d $(GEN)/stamp
	$$(call compile,$$($(2)) $$(KERNEL_CFLAGS))
$(1)/tree/%.o: $(TREE)/%.c $(1)/tree/%.d $(GEN)/stamp
	$$(call compile,$$($(2)) $$(KERNEL_CFLAGS))
$(1)/%.o: $(TOP)/%.c $(1)/%.d $(GEN)/stamp
	$$(call compile,$$($(2)) $$(OUR_CFLAGS))
endef
FLAVOUR_CC = $(CC) $(CFLAGS)
HOST_BUILD_CC = $(HOST_CC) $(HOST_CFLAGS)
$(eval $(call objects,$(OBJ),FLAVOUR_CC))
$(eval $(call objects,$(HOST_OBJ),HOST_BUILD_CC))
# the second memslot target: the same source, gmem-only untouched off unless the environment says on
$(OBJ)/targets/fuzz_memslot_notifier_gmem_only_untouched_off.o: $(TOP)/targets/fuzz_memslot_notifier.c \
		$(OBJ)/targets/fuzz_memslot_notifier_gmem_only_untouched_off.d $(GEN)/stamp
	$(call compile,$(CC) $(CFLAGS) $(OUR_CFLAGS) -DGMEM_ONLY_CHECK_DEFAULT=0)
%.d: ;
.PRECIOUS: %.d
-include $(shell find $(OBJ) $(HOST_OBJ) -name '*.d' 2>/dev/null)
endif

# ---- the fuzz targets: $(CXX) $(CXXFLAGS) ... $(LIB_FUZZING_ENGINE) ------------------------
ENGINE_OBJS := $(if $(STANDALONE),$(OBJ)/targets/replay_main.o)
link_target = $(call link,$(CXX) $(CXXFLAGS) $(filter %.o,$^) $(LIB_FUZZING_ENGINE))
$(BIN)/fuzz_memslot_notifier: $(OBJ)/targets/fuzz_memslot_notifier.o $(call MEMSLOT_OBJS,$(OBJ)) $(ENGINE_OBJS)
	$(link_target)
$(BIN)/fuzz_memslot_notifier_gmem_only_untouched_off: $(OBJ)/targets/fuzz_memslot_notifier_gmem_only_untouched_off.o \
		$(call MEMSLOT_OBJS,$(OBJ)) $(ENGINE_OBJS)
	$(link_target)
$(BIN)/fuzz_interval_tree: $(OBJ)/targets/fuzz_interval_tree.o $(call TREE_OBJS,$(OBJ)) $(ENGINE_OBJS)
	$(link_target)

# ---- replayers and tools: plain mains over the same objects, no engine ----------------------
link_plain = $(call link,$(REPLAY_CC) $(REPLAY_FLAGS) $(filter %.o,$^) $(REPLAY_RT))
$(EXTRAS)/replay_memslot_notifier: $(OBJ)/targets/fuzz_memslot_notifier.o $(call MEMSLOT_OBJS,$(OBJ)) \
		$(OBJ)/targets/replay_main.o
	$(link_plain)
$(EXTRAS)/replay_interval_tree: $(OBJ)/targets/fuzz_interval_tree.o $(call TREE_OBJS,$(OBJ)) $(OBJ)/targets/replay_main.o
	$(link_plain)
$(addprefix $(EXTRAS)/,$(TOOLS)): $(EXTRAS)/%: $(OBJ)/targets/tools/%.o $(call MEMSLOT_OBJS,$(OBJ))
	$(link_plain)

# ---- run at build time, plain host compiler ---------------------------------------------
# scenario-text needs no kernel; the seed filter is the memslot replayer without sanitizer or engine.
$(HOST_OBJ)/scenario-text: $(patsubst %.c,$(HOST_OBJ)/%.o,$(SCENARIO_SRCS)) $(HOST_OBJ)/targets/scenario_text_main.o
	$(call link,$(HOST_CC) $(filter %.o,$^))
$(HOST_OBJ)/seed-filter: $(HOST_OBJ)/targets/fuzz_memslot_notifier.o $(call MEMSLOT_OBJS,$(HOST_OBJ)) \
		$(HOST_OBJ)/targets/replay_main.o
	$(call link,$(HOST_CC) $(filter %.o,$^))
