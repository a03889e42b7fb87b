#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Which kernel API functions KVM code calls, per modelled family, and whether the harness has them.

    api-families.py TREE [--arm64]

A patch author touches virt/kvm/*.c and calls a neighbour of what today's code
calls; the harness models some API families (xarray, locks, SRCU and RCU,
files, pages and GUP, allocation) with shims. For every function any
virt/kvm/*.c file of TREE calls from those families, this says where the
harness would take it from: a shim (shims/, the profile's shims/arch-*), the
kernel tree itself (a scanned header: plain definitions, extracted on demand,
or a header a REAL shim forwards to), or nowhere (missing: a patch calling it
does not build). Prints one line per family, "FAMILY CALLED SHIM TREE MISSING
[names...]", and exits 1 if anything is missing.
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import extract  # noqa: E402  (the extractor's own parser and tables)

FAMILIES = [
    ('xarray', r'(xa|xas)_\w+'),
    ('locks', r'(mutex|spin|raw_spin|read|write|down|up|rwlock|lockdep)_\w*|(down|up)_(read|write)\w*'),
    ('srcu/rcu', r'(srcu|rcu|synchronize_srcu|synchronize_rcu|call_srcu|call_rcu)\w*'),
    ('files', r'(fget|fput|fdget|fdput|get_file|file_inode|anon_inode_\w+|alloc_file_pseudo|fd_install|'
              r'get_unused_fd_flags|put_unused_fd|filemap_\w+|file_\w+)'),
    ('pages', r'(get_page|put_page|folio_\w+|page_\w+|pfn_to_page|kmap\w*|kunmap\w*|get_user_pages\w*|'
              r'pin_user_pages\w*|unpin_user_page\w*|hva_to_pfn\w*)'),
    ('allocation', r'(kmalloc\w*|kzalloc\w*|kvmalloc\w*|kvzalloc\w*|kcalloc|kvcalloc|kfree\w*|kvfree\w*|'
                   r'kmem_cache_\w+|vmalloc\w*|vzalloc|vfree|krealloc\w*)'),
]
CALL = re.compile(r'\b([A-Za-z_]\w*)\s*\(')


def called_names(tree):
    names = set()
    kvm = os.path.join(tree, 'virt/kvm')
    for name in sorted(os.listdir(kvm)):
        if name.endswith('.c'):
            with open(os.path.join(kvm, name), encoding='utf-8', errors='replace') as f:
                text = extract.strip_comments(f.read())
            names.update(m.group(1) for m in CALL.finditer(text))
    return names


def main(argv):
    if len(argv) < 2 or argv[1].startswith('-'):
        sys.stderr.write(__doc__.split('\n\n')[1] + '\n')
        return 2 if len(argv) < 2 or argv[1] not in ('-h', '--help') else 0
    tree, arch = argv[1], 'arm64' if '--arm64' in argv[2:] else 'x86'
    top = os.path.dirname(here)
    shims, arch_shims = os.path.join(top, 'shims'), os.path.join(top, 'shims', 'arch-' + arch)
    if not os.path.isfile(os.path.join(tree, 'virt/kvm/kvm_main.c')):
        sys.stderr.write('api-families: %s: not a kernel tree (no virt/kvm/kvm_main.c)\n' % tree)
        return 2
    shim_names, _macros = extract.shim_definitions(shims, arch_shims)
    # the tree's side: every definition of the scanned files and the headers REAL shims forward to
    scanned = [r[1] for r in extract.read_table(os.path.join(here, 'roots.txt')) if r[0] == 'scan']
    index = {}
    for rel in scanned:
        p = os.path.join(tree, rel)
        if os.path.exists(p):
            with open(p, encoding='utf-8', errors='replace') as f:
                for c in extract.parse_file(p, rel, f.read()):
                    if c.kind != 'proto':
                        for n in c.names:
                            index.setdefault(n, c)
    known = extract.outside_names(shims, arch_shims, tree, {})
    called = called_names(tree)
    missing_any = False
    for family, pattern in FAMILIES:
        rx = re.compile(r'^(%s)$' % pattern)
        mine = sorted(n for n in called if rx.match(n))
        shim = [n for n in mine if n in shim_names]
        from_tree = [n for n in mine if n not in shim_names and (n in index or n in known)]
        missing = [n for n in mine if n not in shim_names and n not in index and n not in known]
        missing_any |= bool(missing)
        print('%s %d %d %d %d%s' % (family, len(mine), len(shim), len(from_tree), len(missing),
                                    (' ' + ' '.join(missing)) if missing else ''))
    return 1 if missing_any else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
