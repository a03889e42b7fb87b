#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The memslot-set initialisation kvm_create_vm() does inline stays a model
(model_init_memslots() in shims/model_vm.c). This check compares the
statements of its loop with the kernel's loop, token for token, allowing only
the one documented difference: the model starts generations at a chosen base."""
import re
import sys


def loop(text, anchor_fn):
    body = text[text.index(anchor_fn):]
    m = re.search(r'for \(i = 0; i < (kvm_arch_nr_memslot_as_ids\(kvm\)|KVM_ADDRESS_SPACE_NUM); i\+\+\) \{', body)
    if not m:
        sys.exit('memslot init: no address-space loop in %s' % anchor_fn)
    i, depth = m.end(), 1
    while depth:
        depth += {'{': 1, '}': -1}.get(body[i], 0)
        i += 1
    code = re.sub(r'/\*.*?\*/', '', body[m.end():i - 1], flags=re.S)
    return ' '.join(code.split())


kernel = loop(open(sys.argv[1]).read(), 'static struct kvm *kvm_create_vm(')
model = loop(open(sys.argv[2]).read(), 'void model_init_memslots(')
model = model.replace('slots->generation = generation + i;', 'slots->generation = i;')
if kernel != model:
    sys.exit('memslot init differs from the kernel loop:\n  kernel: %s\n  model:  %s' % (kernel, model))
print('memslot init matches the kernel loop')
