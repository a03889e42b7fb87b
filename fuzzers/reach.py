#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reach of a patch: which of its changed lines the harness executed.

    reach.py BASE_TREE PATCHED_TREE EXTRACTED_DIR LCOV_FILE
    reach.py --functions BASE_TREE PATCHED_TREE EXTRACTED_DIR

The changed lines are the new side of the difference between the two trees
(every file present in the patched tree whose bytes differ, or that is new).
A changed line is in the harness when the extraction kept it (EXTRACTED_DIR/src/
holds each extracted definition at its kernel line, blank elsewhere); of those,
the executable ones are the lines llvm-cov has a counter for (LCOV_FILE, from
`llvm-cov export -format=lcov` of a coverage build of the patched tree, whose
#line directives make its lines the kernel's). Prints, one per line:

    reach: N M            N of M executable changed lines executed
    first FILE:LINE NAME  the first executed changed line, in the patch's order, and its function
    function NAME FILE R T MAX   per extracted function holding changed lines
    outside FILE K        K changed lines in code the harness does not extract

With --functions (before any coverage exists): the extracted functions that hold
changed lines, most changed lines first, one name per line (what to focus on).
"""
import difflib
import os
import sys


def is_code(text):
    """A line that can be code: not blank, not only a comment."""
    t = text.strip()
    return bool(t) and not t.startswith(('/*', '*', '//'))


def changed_lines(base, patched):
    """{path: sorted new-side line numbers} of every file that differs (comment and blank lines left out)."""
    out = {}
    for root, _dirs, files in os.walk(patched):
        for name in files:
            p = os.path.join(root, name)
            rel = os.path.relpath(p, patched)
            if rel.startswith('.') or '/.' in rel:
                continue
            try:
                with open(p, 'rb') as f:
                    new = f.read()
            except OSError:
                continue
            try:
                with open(os.path.join(base, rel), 'rb') as f:
                    old = f.read()
            except OSError:
                old = None
            if old == new:
                continue
            new_lines = new.decode('utf-8', 'replace').splitlines()
            if old is None:
                out[rel] = [n for n in range(1, len(new_lines) + 1) if is_code(new_lines[n - 1])]
                continue
            old_lines = old.decode('utf-8', 'replace').splitlines()
            lines = set()
            sm = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
            for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
                if tag in ('replace', 'insert'):
                    lines.update(range(j1 + 1, j2 + 1))
                elif tag == 'delete' and j1 < len(new_lines):
                    lines.add(j1 + 1)  # the line after the removed ones: running it is reaching the spot
            lines = [n for n in lines if n <= len(new_lines) and is_code(new_lines[n - 1])]
            if lines:
                out[rel] = sorted(lines)
    return out


def lcov_counts(path):
    """{path suffix key: {line: count}}, keyed by the file's path as llvm-cov names it."""
    counts, cur = {}, None
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('SF:'):
                cur = counts.setdefault(line[3:], {})
            elif line.startswith('DA:') and cur is not None:
                n, c = line[3:].split(',')[:2]
                # a header inline is compiled into several objects: keep the best count
                cur[int(n)] = max(cur.get(int(n), 0), int(c))
            elif line == 'end_of_record':
                cur = None
    return counts


def counts_for(counts, rel):
    for sf, lines in counts.items():
        if sf == rel or sf.endswith('/' + rel):
            return lines
    return None


def functions(manifest):
    """{file: sorted [(start line, name)]} of the extracted functions."""
    out = {}
    with open(manifest, encoding='utf-8', errors='replace') as f:
        for line in f:
            w = line.split()
            if len(w) >= 3 and w[0] == 'func' and ':' in w[2]:
                file, _, n = w[2].rpartition(':')
                out.setdefault(file, []).append((int(n), w[1]))
    for v in out.values():
        v.sort()
    return out


def function_of(funcs, rel, n):
    name = None
    for start, fn in funcs.get(rel, []):
        if start <= n:
            name = fn
    return name


def changed_functions(base, patched, gen, funcs):
    per = {}
    for rel, lines in changed_lines(base, patched).items():
        try:
            with open(os.path.join(gen, 'src', rel), encoding='utf-8', errors='replace') as f:
                src = f.read().splitlines()
        except OSError:
            continue
        for n in lines:
            if n <= len(src) and src[n - 1].strip():
                fn = function_of(funcs, rel, n)
                if fn:
                    per[fn] = per.get(fn, 0) + 1
    return sorted(per, key=lambda fn: (-per[fn], fn))


def main(argv):
    if len(argv) == 5 and argv[1] == '--functions':
        base, patched, gen = argv[2:]
        for fn in changed_functions(base, patched, gen, functions(os.path.join(gen, 'manifest.txt'))):
            print(fn)
        return 0
    if len(argv) != 5:
        sys.stderr.write('usage: reach.py BASE_TREE PATCHED_TREE EXTRACTED_DIR LCOV_FILE | --functions BASE PATCHED DIR\n')
        return 2
    base, patched, gen, lcov = argv[1:]
    for d in (base, patched, gen):
        if not os.path.isdir(d):
            sys.stderr.write('reach: %s: no such directory\n' % d)
            return 2
    counts = lcov_counts(lcov)
    funcs = functions(os.path.join(gen, 'manifest.txt'))
    reached = total = 0
    per_func = {}
    outside = {}
    first = None
    for rel, lines in sorted(changed_lines(base, patched).items()):
        try:
            with open(os.path.join(gen, 'src', rel), encoding='utf-8', errors='replace') as f:
                src = f.read().splitlines()
        except OSError:
            src = []
        cov = counts_for(counts, rel) or {}
        for n in lines:
            if n > len(src) or not src[n - 1].strip():
                outside[rel] = outside.get(rel, 0) + 1
                continue
            if n not in cov:
                continue  # a declaration, a brace, a comment: nothing to execute
            total += 1
            reached += cov[n] > 0
            name = function_of(funcs, rel, n) or '?'
            if cov[n] > 0 and first is None:
                first = '%s:%d %s' % (rel, n, name)
            r, t, m = per_func.get((name, rel), (0, 0, 0))
            per_func[(name, rel)] = (r + (cov[n] > 0), t + 1, max(m, cov[n]))
    print('reach: %d %d' % (reached, total))
    if first:
        print('first ' + first)
    for (name, rel), (r, t, m) in sorted(per_func.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        print('function %s %s %d %d %d' % (name, rel, r, t, m))
    for rel, k in sorted(outside.items()):
        print('outside %s %d' % (rel, k))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
