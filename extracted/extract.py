#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Extract the KVM memslot / MMU-notifier code from a kernel tree.

Reads roots from extracted/roots.txt and the CONFIG table from extracted/kconfig.txt,
indexes every top-level definition of the scanned kernel files (functions, static
inlines, macros, structs, unions, enums, typedefs, variables, prototypes), resolves
preprocessor conditionals against that configuration, computes the closure of the
roots and writes:

  kvm_extracted.h  macros, types, header inlines, prototypes, export declarations
  kvm_extracted.c  the .c-file functions and variables, plus the export table
  kvm_features.h   HAVE_<name> for every optional root that exists in this tree
  manifest.txt     what was taken from where (one line per definition)

Names that shims/ defines stop the closure (the shim provides them), except that a
kernel prototype of such a name is still taken so the compiler checks the shim's
signature against the kernel's. Bodies are copied verbatim; the only transformation
is a `#line` directive before every definition, pointing into the kernel tree.

Top-level macro invocations that define names (cleanup.h's DEFINE_CLASS and its
relatives, DEFINE_MUTEX, LIST_HEAD, ...: DEFINERS) are definitions like the others.
Only the files virt/kvm/Makefile.kvm builds in this configuration are indexed, and
only the shims of one arch profile (--arch-shims) are read. Before anything is
written the closure is verified (Extractor.verify): a name nothing defines is one
line naming the kernel file, line, function and name.
"""
import os
import re
import sys

IDENT = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
KEYWORDS = set('''auto break case char const continue default do double else enum extern
float for goto if inline int long register restrict return short signed sizeof static
struct switch typedef union unsigned void volatile while _Bool bool true false NULL
defined __typeof__ typeof __attribute__ asm __asm__ __volatile__'''.split())

# Identifiers that are not names of the kernel tree: C keywords and storage words
# the kernel spells its own way, compiler builtins, and what the C library headers
# the shims include provide. The closure check accepts them without a definition.
BUILTINS = set('''_Generic _Static_assert static_assert __func__ __FILE__ __LINE__
__COUNTER__ __VA_ARGS__ __has_attribute __has_builtin __has_include __alignof__ _Alignof
__extension__ __inline__ __inline __signed__ __const__ __restrict __typeof __builtin_expect
__builtin_constant_p __builtin_types_compatible_p __builtin_choose_expr __builtin_offsetof
__builtin_unreachable __builtin_trap __builtin_memcpy __builtin_memset __builtin_ctzl
__builtin_clzl __builtin_ffsl __builtin_popcountl __builtin_return_address offsetof
size_t ssize_t uintptr_t intptr_t ptrdiff_t uint8_t uint16_t uint32_t uint64_t int8_t
int16_t int32_t int64_t pid_t sigset_t loff_t off_t mode_t uid_t gid_t memset memcpy memmove memcmp strlen strcmp strncmp strchr
CHAR_BIT INT_MAX INT_MIN UINT_MAX LONG_MAX LONG_MIN ULONG_MAX LLONG_MAX LLONG_MIN
ULLONG_MAX SHRT_MAX SHRT_MIN USHRT_MAX SCHAR_MAX SCHAR_MIN UCHAR_MAX SIZE_MAX
EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES
EFAULT EBUSY EEXIST ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY EFBIG ENOSPC
ESPIPE EROFS ERANGE ENOSYS EOVERFLOW EOPNOTSUPP ENOTSUPP ENODATA EDEADLK ENOTCONN EHWPOISON'''.split())


def class_names(name):
    """The names cleanup.h's DEFINE_CLASS(name, ...) and its relatives define."""
    c = 'class_%s' % name
    return [c + '_t', c + '_constructor', c + '_destructor', c + '_lock_ptr', c + '_is_conditional']


def _arg(i, fn):
    return lambda args: fn(args[i]) if len(args) > i else []


def _concat(fn):
    return lambda args: fn(args[0] + args[1]) if len(args) > 1 else []


# Top-level macro invocations that define names (cleanup.h's scope-based classes,
# guards and free functions; static locks and lists), and the names each defines.
DEFINERS = {
    'DEFINE_CLASS': _arg(0, class_names),
    'DEFINE_GUARD': _arg(0, class_names),
    'DEFINE_LOCK_GUARD_0': _arg(0, class_names),
    'DEFINE_LOCK_GUARD_1': _arg(0, class_names),
    'EXTEND_CLASS': _concat(class_names),
    'EXTEND_CLASS_COND': _concat(class_names),
    'DEFINE_GUARD_COND': _concat(class_names),
    'DEFINE_LOCK_GUARD_0_COND': _concat(class_names),
    'DEFINE_LOCK_GUARD_1_COND': _concat(class_names),
    'DEFINE_FREE': _arg(0, lambda n: ['__free_' + n]),
    'DEFINE_MUTEX': _arg(0, lambda n: [n]),
    'DEFINE_SPINLOCK': _arg(0, lambda n: [n]),
    'DEFINE_RAW_SPINLOCK': _arg(0, lambda n: [n]),
    'DEFINE_RWLOCK': _arg(0, lambda n: [n]),
    'DEFINE_STATIC_SRCU': _arg(0, lambda n: [n]),
    'DEFINE_SRCU': _arg(0, lambda n: [n]),
    'DEFINE_IDA': _arg(0, lambda n: [n]),
    'DEFINE_XARRAY': _arg(0, lambda n: [n]),
    'LIST_HEAD': _arg(0, lambda n: [n]),
    'DEFINE_STATIC_KEY_FALSE': _arg(0, lambda n: [n]),
    'DEFINE_STATIC_KEY_TRUE': _arg(0, lambda n: [n]),
}

# Uses of those names: CLASS(name, var), guard(name)(...), scoped_guard(name, ...),
# scoped_cond_guard(name, ...), __free(name). Each is rewritten, for the reference
# scan, to the identifier it expands to; CLASS() also declares var.
CLASS_USE = re.compile(r'\b(CLASS|CLASS_INIT|guard|scoped_guard|scoped_cond_guard|__free)\s*\(\s*(\w+)\s*(,\s*(\w+))?')


def rewrite_class_uses(text):
    def sub(m):
        use, name, var = m.group(1), m.group(2), m.group(4)
        if use == '__free':
            return '__free(__free_%s' % name + (m.group(3) or '')
        if use in ('CLASS', 'CLASS_INIT'):
            return '%s(class_%s_t %s' % (use, name, var or '')
        return '%s(class_%s_t' % (use, name) + (m.group(3) or '')
    return CLASS_USE.sub(sub, text)


def definer_names(macro, argtext):
    """The names a DEFINERS invocation defines, from its argument text '(a, b, ...)'."""
    inner = argtext[1:argtext.rfind(')')]
    args = [a.strip() for a in split_top(inner, ',')]
    if not args or not all(re.match(r'^\w*$', a) for a in args[:1]):
        return []
    return DEFINERS[macro]([a for a in args])


class Error(Exception):
    pass


def strip_comments(text):
    """Blank out comments and string/char literals, keeping newlines and offsets."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r'[^\n]', ' ', text[i + 1:j - 1]) + c if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


class CondEvaluator:
    """Evaluates #if expressions: CONFIG_ names from the kconfig table (an unknown one is
    an error), other names from the macros shims define or simple integer macros."""

    def __init__(self, kconfig, macro_values, shim_macros):
        self.kconfig = kconfig
        self.macro_values = macro_values
        self.shim_macros = shim_macros

    def is_defined(self, name):
        if name.startswith('CONFIG_'):
            return self.config(name)
        return name in self.shim_macros

    def config(self, name):
        base = name[:-len('_MODULE')] if name.endswith('_MODULE') else name
        if base not in self.kconfig:
            raise Error('%s is not in extracted/kconfig.txt: set it to y or n there' % base)
        return False if name.endswith('_MODULE') else self.kconfig[base]

    def value(self, name, where):
        if name.startswith('CONFIG_'):
            return 1 if self.config(name) else 0
        if name in self.shim_macros:
            v = self.shim_macros[name]
            if v is None:
                return 1
            return v
        if name in self.macro_values:
            return self.macro_values[name]
        # An undefined identifier in #if is 0, as in cpp; include guards and arch feature
        # macros that shims do not define land here.
        return 0

    def eval(self, expr, where):
        e = re.sub(r'\bdefined\s*\(\s*(\w+)\s*\)', lambda m: ' %d ' % self.is_defined(m.group(1)), expr)
        e = re.sub(r'\bdefined\s+(\w+)', lambda m: ' %d ' % self.is_defined(m.group(1)), e)
        e = re.sub(r'\b(IS_ENABLED|IS_BUILTIN|IS_REACHABLE)\s*\(\s*(\w+)\s*\)',
                   lambda m: ' %d ' % self.config(m.group(2)), e)
        e = re.sub(r'\b(\d+)[UuLl]+\b', r'\1', e)
        e = re.sub(r'\b[A-Za-z_]\w*\b', lambda m: ' %d ' % self.value(m.group(0), where)
                   if not m.group(0).isdigit() else m.group(0), e)
        e = e.replace('&&', ' and ').replace('||', ' or ')
        e = re.sub(r'!(?!=)', ' not ', e)
        try:
            return bool(eval(e, {'__builtins__': {}}))
        except Exception:
            raise Error('%s: cannot evaluate #if %s' % (where, expr.strip()))


class Chunk:
    """One top-level definition or declaration in a kernel (or shim) file."""

    def __init__(self, kind, names, path, line, text, conds):
        self.kind = kind          # func, proto, macro, type, var, other
        self.names = names        # what it defines: 'foo', 'struct foo', enumerators ...
        self.path = path
        self.line = line
        self.text = text
        self.conds = conds        # tuple of (expr, polarity) of enclosing #if blocks

    @property
    def name(self):
        return self.names[0]


def split_directive(line):
    m = re.match(r'\s*#\s*(\w+)(.*)', line)
    return (m.group(1), m.group(2)) if m else (None, None)


def parse_file(path, relpath, text):
    """Split a C file into top-level chunks, tracking the #if stack."""
    clean = strip_comments(text)
    lines = text.split('\n')
    clines = clean.split('\n')
    chunks = []
    stack = []              # list of [expr, polarity, elif_history]
    i = 0
    cur_start = None
    cur_conds = None
    depth = 0
    pdepth = 0
    while i < len(lines):
        cl = clines[i]
        directive, rest = split_directive(cl)
        if directive and depth == 0 and pdepth == 0 and cur_start is None:
            # join continuation lines
            j = i
            while clines[j].rstrip().endswith('\\') and j + 1 < len(lines):
                j += 1
            full = ' '.join(c.rstrip().rstrip('\\') for c in clines[i:j + 1])
            directive, rest = split_directive(full)
            if directive in ('if', 'ifdef', 'ifndef'):
                expr = rest.strip()
                if directive == 'ifdef':
                    expr = 'defined(%s)' % expr
                elif directive == 'ifndef':
                    expr = '!defined(%s)' % expr
                stack.append([expr, True, []])
            elif directive == 'elif':
                top = stack[-1]
                top[2].append(top[0])
                top[0], top[1] = rest.strip(), True
            elif directive == 'else':
                stack[-1][1] = False
            elif directive == 'endif':
                stack.pop()
            elif directive == 'define':
                m = re.match(r'\s*(\w+)', rest)
                if m:
                    body = '\n'.join(lines[i:j + 1])
                    chunks.append(Chunk('macro', [m.group(1)], relpath, i + 1, body, conds_of(stack)))
            i = j + 1
            continue
        if cur_start is None:
            if not cl.strip():
                i += 1
                continue
            cur_start = i
            cur_conds = conds_of(stack)
        if directive:
            # a directive inside a definition stays part of its text
            while clines[i].rstrip().endswith('\\') and i + 1 < len(lines):
                i += 1
            i += 1
            continue
        ended = False
        for ch in cl:
            if ch == '{':
                depth += 1
            elif ch == '}':
                depth -= 1
            elif ch == '(':
                pdepth += 1
            elif ch == ')':
                pdepth -= 1
        s = cl.strip()
        if depth == 0 and pdepth == 0:
            if s.endswith(';'):
                ended = True
            elif s.endswith('}') and '{' in ''.join(clines[cur_start:i + 1]):
                # function body closed (struct bodies end with '};')
                ended = s == '}' or not re.match(r'^(struct|union|enum|typedef)\b', clines[cur_start].strip())
            elif s.endswith(')'):
                nxt = i + 1
                while nxt < len(lines) and not clines[nxt].strip():
                    nxt += 1
                if nxt >= len(lines) or not clines[nxt].strip().startswith(('{', '__', 'const', 'noinline')):
                    ended = True   # top-level macro invocation without ';'
        if ended:
            body = '\n'.join(lines[cur_start:i + 1])
            cbody = '\n'.join(clines[cur_start:i + 1])
            ch = classify(cbody, body, relpath, cur_start + 1, cur_conds)
            if ch:
                chunks.extend(ch)
            cur_start = None
        i += 1
    return chunks


def conds_of(stack):
    out = []
    for expr, pol, prev in stack:
        for p in prev:
            out.append((p, False))
        out.append((expr, pol))
    return tuple(out)


def strip_directives(cbody):
    return '\n'.join('' if re.match(r'\s*#', l) else l for l in cbody.split('\n'))


def classify(cbody, body, path, line, conds):
    flat = strip_directives(cbody)
    s = ' '.join(flat.split())
    if not s:
        return None
    brace = s.find('{')
    paren = s.find('(')
    eq = s.find('=')
    head = s if brace < 0 else s[:brace]
    if re.match(r'^EXPORT_SYMBOL|^MODULE_|^module_', s):
        return None
    m = re.match(r'^(static\s+)?([A-Z_][A-Z0-9_]*)\s*\(', s)
    if m and m.group(2) in DEFINERS and s.rstrip(';').rstrip().endswith(')'):
        names = definer_names(m.group(2), s[m.end() - 1:])
        return [Chunk('definer', names, path, line, body, conds)] if names else None
    if s.startswith('typedef'):
        names = []
        m = re.search(r'\(\s*\*\s*(\w+)\s*\)\s*\(', s)
        if m and (brace < 0 or m.start() < brace):
            names.append(m.group(1))
        else:
            tail = s[s.rfind('}') + 1:] if brace >= 0 else s[len('typedef'):]
            ids = [x for x in IDENT.findall(re.sub(r'\[[^]]*\]', '', tail.rstrip(';'))) if x not in KEYWORDS]
            if ids:
                names.append(ids[-1])
        m = re.match(r'typedef\s+(struct|union|enum)\s+(\w+)\s*\{', s)
        if m:
            names.append('%s %s' % (m.group(1), m.group(2)))
        names += enumerators(s)
        return [Chunk('type', names, path, line, body, conds)] if names else None
    m = re.match(r'^(struct|union|enum)\s+(\w+)?\s*\{', s)
    if m and s.rstrip().endswith(';') and re.search(r'\}\s*;$', s):
        names = []
        if m.group(2):
            names.append('%s %s' % (m.group(1), m.group(2)))
        if m.group(1) == 'enum':
            names += enumerators(s)
        return [Chunk('type', names, path, line, body, conds)] if names else None
    if re.match(r'^(struct|union|enum)\s+\w+\s*;$', s):
        return None   # forward declaration
    if paren >= 0 and (brace < 0 or paren < brace) and (eq < 0 or paren < eq):
        # function definition or prototype, or macro invocation
        name = func_name(s)
        if not name:
            return None
        if brace >= 0 and s.endswith('}'):
            return [Chunk('func', [name], path, line, body, conds)]
        if s.endswith(';') and re.match(r'^[\w\s\*]+\(', s) and len(IDENT.findall(s[:paren])) >= 2:
            return [Chunk('proto', [name], path, line, body, conds)]
        return None
    if s.endswith(';'):
        decl = s if eq < 0 else s[:eq]
        decl = re.sub(r'\[[^]]*\]', '', decl).rstrip('; ')
        ids = [x for x in IDENT.findall(decl) if x not in KEYWORDS]
        if ids and re.match(r'^(static\s+|extern\s+|const\s+)*(struct\s+|unsigned\s+)?\w', s):
            return [Chunk('var', [ids[-1]], path, line, body, conds)]
    return None


def func_name(s):
    depth = 0
    for m in re.finditer(r'[()]', s):
        if m.group(0) == '(':
            if depth == 0:
                ids = IDENT.findall(s[:m.start()])
                ids = [x for x in ids if x not in KEYWORDS]
                return ids[-1] if ids else None
            depth += 1
        else:
            depth -= 1
    return None


def enumerators(s):
    if not re.match(r'^(typedef\s+)?enum\b', s):
        return []
    body = s[s.find('{') + 1:s.rfind('}')]
    out = []
    for part in split_top(body, ','):
        m = re.match(r'\s*([A-Za-z_]\w*)', part)
        if m:
            out.append(m.group(1))
    return out


def split_top(s, sep):
    parts, depth, cur = [], 0, []
    for ch in s:
        if ch in '({[':
            depth += 1
        elif ch in ')}]':
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(''.join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append(''.join(cur))
    return parts


def active_text(chunk, ev):
    """Comment-free text of a chunk with inactive conditional regions blanked."""
    clean = strip_comments(chunk.text).split('\n')
    out, stack = [], []
    for l in clean:
        d, rest = split_directive(l)
        if d in ('if', 'ifdef', 'ifndef'):
            expr = {'ifdef': 'defined(%s)', 'ifndef': '!defined(%s)'}.get(d, '%s') % rest.strip()
            parent = all(s[0] for s in stack)
            val = ev.eval(expr, '%s:%d' % (chunk.path, chunk.line)) if parent else False
            stack.append([parent and val, val, parent])
            out.append('')
        elif d == 'elif':
            top = stack[-1]
            val = (not top[1]) and top[2] and ev.eval(rest, chunk.path)
            top[0] = val
            top[1] = top[1] or val
            out.append('')
        elif d == 'else':
            top = stack[-1]
            top[0] = top[2] and not top[1]
            out.append('')
        elif d == 'endif':
            stack.pop()
            out.append('')
        elif d:
            out.append('' if chunk.kind != 'macro' else l)
        else:
            out.append(l if all(s[0] for s in stack) else '')
    return '\n'.join(out)


def references(chunk, ev):
    """(strong, weak) names a chunk refers to. A `struct X *` inside a type or a
    prototype only needs a forward declaration, so it is weak."""
    text = rewrite_class_uses(active_text(chunk, ev))
    if chunk.kind == 'macro':
        text = re.sub(r'^\s*#\s*define\s+\w+', '', text)
    elif chunk.kind == 'definer':
        text = text[text.find('(') + 1:]    # the invocation's arguments, not its macro
    strong, weak = set(), set()
    pointer_ok = chunk.kind in ('type', 'proto')
    for m in re.finditer(r'\b(struct|union|enum)\s+(\w+)(\s*\*)?', text):
        name = '%s %s' % (m.group(1), m.group(2))
        (weak if (m.group(3) and pointer_ok) else strong).add(name)
    for m in re.finditer(r'(->|\.)?\s*\b([A-Za-z_]\w*)\b', text):
        if m.group(1):
            continue    # member access
        w = m.group(2)
        if w in KEYWORDS:
            continue
        pre = text[max(0, m.start(2) - 8):m.start(2)]
        if re.search(r'\b(struct|union|enum)\s+$', pre):
            continue
        strong.add(w)
    for n in chunk.names:
        strong.discard(n)
    return strong, weak


TOKEN = re.compile(r'[A-Za-z_]\w*|\d\w*|->|##|\S')
# a word before a name that makes the name an operand, not a declarator
NOT_A_TYPE = set('return case goto sizeof else do if while switch for typeof __typeof__'.split())


def strip_attributes(text):
    """Blank out __attribute__((...)) (its words are the compiler's, not names)."""
    out, i = [], 0
    for m in re.finditer(r'\b__attribute__\s*\(', text):
        if m.start() < i:
            continue
        depth, j = 0, m.end() - 1
        while j < len(text):
            depth += {'(': 1, ')': -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        out.append(text[i:m.start()])
        out.append(re.sub(r'[^\n]', ' ', text[m.start():j + 1]))
        i = j + 1
    out.append(text[i:])
    return ''.join(out)


def declared_names(text):
    """Names a chunk's text declares: parameters, locals, struct members, labels.

    Read from the token stream, not parsed: a name right before , ) ; = [ or :
    whose previous token (past any '*') is a type word; the name in (*name)(...);
    a label; later declarators of a list (int i, j;); DECLARE_X(name, ...) and
    XA_STATE(name, ...), the xarray's on-stack walk state."""
    toks = TOKEN.findall(text)
    out = set()
    stmt_is_decl = False
    for i, t in enumerate(toks):
        if t in (';', '{', '}'):
            stmt_is_decl = False
            continue
        if not re.match(r'[A-Za-z_]', t) or t in KEYWORDS and t not in ('true', 'false', 'NULL'):
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else ';'
        j = i - 1
        while j >= 0 and toks[j] in ('*', 'const', 'volatile', '__rcu', '__user', '__percpu'):
            j -= 1
        prev = toks[j] if j >= 0 else ';'
        if nxt in (',', ')', ';', '=', '[', ':') and re.match(r'[A-Za-z_]', prev) and prev not in NOT_A_TYPE:
            out.add(t)
            if nxt != ')':
                stmt_is_decl = True
        elif prev == '(' and j == i - 2 and toks[i - 1] == '*' and nxt == ')':
            out.add(t)      # (*name)(...)
        elif nxt in (';', ',') and prev == '}':
            out.add(t)      # } member; of a nested struct or union
        elif nxt == ':' and prev in (';', '{', '}') and t != 'default':
            out.add(t)      # a label
        elif prev == ',' and stmt_is_decl and nxt in (',', ';', '=', '['):
            out.add(t)
        if (t.startswith('DECLARE_') or t in ('XA_STATE', 'XA_STATE_ORDER')) and nxt == '(' and i + 2 < len(toks):
            out.add(toks[i + 2])
    return out


def macro_params(text):
    m = re.match(r'\s*#\s*define\s+\w+\(([^)]*)\)', text)
    if not m:
        return set()
    return {p.strip().rstrip('.').strip() for p in m.group(1).split(',')} | {'__VA_ARGS__'}


def uses(chunk, ev):
    """(name, line) for every identifier a chunk uses as a name (not a member)."""
    text = strip_attributes(rewrite_class_uses(active_text(chunk, ev)))
    if chunk.kind == 'macro':
        text = re.sub(r'^\s*#\s*define\s+\w+(\([^)]*\))?', '', text)
        # pasted and stringified tokens are not names
        text = re.sub(r'\w*\s*##\s*\w*|#\s*\w+', ' ', text)
    elif chunk.kind == 'definer':
        text = text[text.find('(') + 1:]
    for m in re.finditer(r'(?:->|\.)\s*\w+|\b(?:struct|union|enum)\s+\w+|\b\d\w*|\b([A-Za-z_]\w*)\b', text):
        if m.group(1):
            yield m.group(1), chunk.line + text.count('\n', 0, m.start(1))


def kbuild_conditions(tree):
    """virt/kvm/Makefile.kvm's `kvm-$(CONFIG_X) += $(KVM)/name.o`: {'virt/kvm/name.c': 'CONFIG_X'}."""
    out = {}
    path = os.path.join(tree, 'virt/kvm/Makefile.kvm')
    if os.path.exists(path):
        with open(path) as f:
            for m in re.finditer(r'^kvm-\$\((CONFIG_\w+)\)\s*\+=\s*\$\(KVM\)/(\w+)\.o\s*$', f.read(), re.M):
                out['virt/kvm/%s.c' % m.group(2)] = m.group(1)
    return out


class Extractor:
    def __init__(self, tree, kconfig, shim_names, shim_macros, scanned):
        self.tree = tree
        self.index = {}
        self.order = {}
        self.shim_names = shim_names
        macro_values = {}
        seq = 0
        built = kbuild_conditions(tree)
        for rel in scanned:
            path = os.path.join(tree, rel)
            if not os.path.exists(path):
                continue
            cond = built.get(rel)
            if cond:
                if cond not in kconfig:
                    raise Error('%s is not in extracted/kconfig.txt: set it to y or n there (virt/kvm/Makefile.kvm builds %s with it)' % (cond, rel))
                if not kconfig[cond]:
                    continue    # this configuration does not build the file
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read()
            for c in parse_file(path, rel, text):
                seq += 1
                self.order[id(c)] = seq
                for n in c.names:
                    self.index.setdefault(n, []).append(c)
                if c.kind == 'macro':
                    m = re.match(r'\s*#\s*define\s+(\w+)\s+\(?\s*(\d+)[UL]*\s*\)?\s*$', c.text)
                    if m:
                        macro_values[m.group(1)] = int(m.group(2))
        self.ev = CondEvaluator(kconfig, macro_values, shim_macros)

    def active(self, chunk):
        for expr, pol in chunk.conds:
            if self.ev.eval(expr, '%s:%d' % (chunk.path, chunk.line)) != pol:
                return False
        return True

    def resolve(self, name):
        """The chunk that defines name in this configuration, or None."""
        cands = [c for c in self.index.get(name, []) if self.active(c)]
        if not cands:
            return None
        defs = [c for c in cands if c.kind != 'proto']
        if name in self.shim_names:
            protos = [c for c in cands if c.kind == 'proto']
            return protos[0] if protos and not defs else None
        if defs:
            # a macro and a function of the same name: the macro wins, as in cpp
            macros = [c for c in defs if c.kind == 'macro']
            return macros[-1] if macros else defs[0]
        return cands[0]

    def closure(self, roots):
        taken = {}
        forward = set()
        self.via = {}
        work = [(r, 'root') for r in roots]
        while work:
            name, parent = work.pop()
            if name in taken:
                continue
            c = self.resolve(name)
            if c is None:
                continue
            taken[name] = c
            self.via.setdefault(id(c), parent)
            for n in c.names:
                taken.setdefault(n, c)
            strong, weak = references(c, self.ev)
            work.extend((n, c.name) for n in sorted(strong))  # a stable manifest
            forward.update(weak)
        forward = {n for n in forward if n not in taken}
        return taken, forward

    def verify(self, taken, known):
        """Every name the taken code uses resolves: an Error for the first that does not.

        known: names defined outside the scanned files (shims, the kernel headers
        they forward to, members of every struct). Checked before any compiler
        runs, so an unclosed tree is one line, not a page of errors."""
        chunks = sorted({id(c): c for c in taken.values()}.values(), key=lambda c: self.order[id(c)])
        for c in chunks:
            if c.kind == 'proto' and c.name not in known:
                # a declaration whose body is in a file not scanned: it would link to nothing
                raise Error('%s:%d: %s is declared here, defined by nothing extracted or shimmed' % (c.path, c.line, c.name))
            local = declared_names(strip_attributes(active_text(c, self.ev)))
            if c.kind == 'macro':
                local |= macro_params(c.text)
            elif c.kind == 'definer':
                # the class body's own object, and the base name its invocation names
                local |= {'_T', re.match(r'[^(]*\(\s*(\w*)', strip_comments(c.text)).group(1)}
            for name, line in uses(c, self.ev):
                if (name in taken or name in known or name in local or name in KEYWORDS
                        or name in BUILTINS or name.startswith('__builtin_') or name in c.names):
                    continue
                where = self.index.get(name)
                why = 'defined by nothing extracted or shimmed'
                if where:
                    why = 'defined only where this configuration drops it (%s:%d)' % (where[0].path, where[0].line)
                raise Error('%s:%d: %s uses %s, %s' % (c.path, line, c.name, name, why))


def balanced(text, i, open_ch, close_ch):
    """Index just past the bracket group that starts at text[i] == open_ch."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == open_ch:
            depth += 1
        elif text[j] == close_ch:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def errno_of_branch(chunk, ev, pattern):
    """The -errno a function returns from the `if` whose condition contains pattern:
    a `return -EX` or `r = -EX` in its block, or, for a `goto label`, the last value
    assigned before the if to the variable the function returns at label. '0' if
    no condition holds pattern (a stub), None if the text does not say."""
    text = active_text(chunk, ev)
    if pattern not in text:
        return '0'
    for m in re.finditer(r'\bif\s*\(', text):
        cond_end = balanced(text, m.end() - 1, '(', ')')
        if pattern not in text[m.end():cond_end]:
            continue
        rest = text[cond_end:].lstrip()
        block = rest[:balanced(rest, 0, '{', '}')] if rest.startswith('{') else rest[:rest.find(';') + 1]
        e = re.search(r'(?:\breturn|=)\s*(-E[A-Z0-9]+)\b', block)
        if e:
            return e.group(1)
        g = re.search(r'\bgoto\s+(\w+)', block)
        if not g:
            return None
        ret = re.search(r'^\s*%s\s*:(?:[^}]*?)\breturn\s+(\w+)\s*;' % g.group(1), text[cond_end:], re.M | re.S)
        if not ret:
            return None
        vals = re.findall(r'\b%s\s*=\s*(-E[A-Z0-9]+)\b' % ret.group(1), text[:m.start()])
        return vals[-1] if vals else None
    return None


def read_table(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                out.append(line.split())
    return out


def shim_files(shim_dir, arch_dir):
    """The shim files of one profile: shims/ without its arch-* directories, plus arch_dir."""
    out = []
    for d in [shim_dir] + ([arch_dir] if arch_dir else []):
        for root, dirs, files in os.walk(d):
            dirs[:] = sorted(x for x in dirs if not x.startswith('arch-'))
            out += [os.path.join(root, fn) for fn in sorted(files) if fn.endswith(('.h', '.c'))]
    return out


def shim_definitions(shim_dir, arch_dir):
    """Names the shims define (they stop the closure) and their macro values."""
    names, macros = set(), {}
    for path in shim_files(shim_dir, arch_dir):
        with open(path) as f:
            text = f.read()
        if 'REAL:' in text.split('\n', 1)[0]:
            continue   # a forward to a kernel header defines nothing of its own
        for c in parse_file(path, path, text):
            names.update(c.names)
            if c.kind == 'macro':
                m = re.match(r'\s*#\s*define\s+(\w+)(\(|\s*)(.*)', c.text)
                if m.group(2) == '(':
                    macros[m.group(1)] = None
                else:
                    v = re.match(r'\(?\s*(\d+)[UL]*\s*\)?\s*$', m.group(3))
                    macros[m.group(1)] = int(v.group(1)) if v else None
        for m in re.finditer(r'^\s*#\s*define\s+(\w+)', text, re.M):
            names.add(m.group(1))
            macros.setdefault(m.group(1), None)
    return names, macros


def outside_names(shim_dir, arch_dir, tree, index):
    """Names defined outside the scanned files: every shim, the kernel headers the
    REAL shims forward to, and the member names of every struct and union."""
    known = set()
    paths = [(p, None) for p in shim_files(shim_dir, arch_dir)]
    for path, _ in list(paths):
        with open(path) as f:
            text = f.read()
        if 'REAL:' in text.split('\n', 1)[0]:
            for inc in re.findall(r'^\s*#\s*include\s+<(include/[^>]+)>', text, re.M):
                if os.path.exists(os.path.join(tree, inc)):
                    paths.append((os.path.join(tree, inc), inc))
    for path, rel in paths:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
        for c in parse_file(path, rel or path, text):
            known.update(c.names)
            if c.kind == 'type':
                known |= declared_names(strip_comments(c.text))
        known.update(re.findall(r'^\s*#\s*define\s+(\w+)', text, re.M))
    for chunks in index.values():
        for c in chunks:
            if c.kind == 'type':
                known |= declared_names(strip_attributes(strip_comments(c.text)))
    return known


def kernel_version(tree):
    v = {}
    with open(os.path.join(tree, 'Makefile')) as f:
        for line in f:
            m = re.match(r'(VERSION|PATCHLEVEL|SUBLEVEL)\s*=\s*(\d+)', line)
            if m:
                v[m.group(1)] = int(m.group(2))
            if len(v) == 3:
                break
    if len(v) < 3:
        raise Error('%s: not a kernel tree (no version in Makefile)' % tree)
    return v['VERSION'], v['PATCHLEVEL'], v['SUBLEVEL']


def declarator(chunk):
    """The prototype of a function definition: its text up to the body."""
    text = chunk.text
    clean = strip_comments(text)
    depth = 0
    for i, ch in enumerate(clean):
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        elif ch == '{' and depth == 0:
            return text[:i].rstrip()
    raise Error('%s:%d: no body in %s' % (chunk.path, chunk.line, chunk.name))


def export_decl(chunk):
    """`extern <type> (*const kvm_export_NAME)(args);` for a function or variable."""
    if chunk.kind == 'func':
        d = strip_comments(declarator(chunk))
    else:
        d = strip_comments(chunk.text).split('=')[0]
    d = ' '.join(l for l in d.split('\n') if not l.lstrip().startswith('#'))
    d = re.sub(r'\b(static|inline|__always_inline|noinline|__weak|__maybe_unused)\b', '', d)
    name = chunk.name
    if chunk.kind == 'func':
        d = re.sub(r'\b%s\s*\(' % name, '(*const kvm_export_%s)(' % name, d, count=1)
    else:
        d = re.sub(r'\b%s\b' % name, '*const kvm_export_%s' % name, d, count=1)
    return 'extern ' + ' '.join(d.split()).rstrip(';') + ';'


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tree', required=True)
    ap.add_argument('--shims', required=True)
    ap.add_argument('--roots', required=True)
    ap.add_argument('--arch-shims', help='the profile\'s shims/arch-* directory (the others are not read)')
    ap.add_argument('--also-defines', action='append', default=[],
                    help='a harness file that defines kernel functions (the closure check counts them)')
    ap.add_argument('--kconfig', required=True, action='append',
                    help='CONFIG table; a later one (the profile\'s) overrides what it names')
    ap.add_argument('--out', required=True)
    a = ap.parse_args(argv)
    tree = os.path.abspath(a.tree)
    try:
        ver = kernel_version(tree)
        vs = '%d.%d.%d' % ver
        kconfig = {}
        for i, path in enumerate(a.kconfig):
            for row in read_table(path):
                if len(row) != 2 or row[1] not in ('y', 'n'):
                    raise Error('%s: bad line %r (want CONFIG_NAME y|n)' % (path, ' '.join(row)))
                if i and row[0] not in kconfig:
                    raise Error('%s: %s is not in %s (a profile overrides, it does not add)' % (path, row[0], a.kconfig[0]))
                kconfig[row[0]] = row[1] == 'y'
        table = read_table(a.roots)
        minimum = [tuple(int(x) for x in r[1].split('.')) for r in table if r[0] == 'minimum']
        if minimum and ver[:2] < minimum[0]:
            raise Error('kernel %s: too old, the oldest supported is %d.%d' % ((vs,) + minimum[0]))
        scanned = [r[1] for r in table if r[0] == 'scan']
        shim_names, shim_macros = shim_definitions(a.shims, a.arch_shims)
        ex = Extractor(tree, kconfig, shim_names, shim_macros, scanned)
        roots, exports, features = [], [], []
        for row in table:
            kind = row[0]
            if kind not in ('root', 'optional', 'export'):
                continue
            name, where = row[1].replace(':', ' '), row[2]
            # an optional root only declared (its file not built in this configuration) is absent
            found = ex.resolve(name) is not None and not (kind == 'optional' and ex.resolve(name).kind == 'proto')
            if kind != 'optional' and not found:
                raise Error('kernel %s: %s not found in %s' % (vs, name, where))
            if found:
                roots.append(name)
            c = ex.resolve(name) if found else None
            # a .c-file function is static, so the harness reaches it through an export
            if found and (kind == 'export' or (c.kind in ('func', 'var') and not c.path.endswith('.h'))):
                exports.append(name)
            if kind == 'optional':
                features.append((name, found))
        taken, forward = ex.closure(roots)
        known = outside_names(a.shims, a.arch_shims, tree, ex.index) | set(kconfig)
        for path in a.also_defines:
            with open(path) as f:
                known.update(n for c in parse_file(path, path, f.read()) if c.kind == 'func' for n in c.names)
        ex.verify(taken, known)
        for row in table:
            if row[0] != 'require':
                continue
            if len(row) > 4 and row[3] == 'since' and ver[:2] < tuple(int(x) for x in row[4].split('.')):
                continue
            alternatives = [n.replace(':', ' ') for n in row[1].split('|')]
            if not any(n in taken for n in alternatives):
                raise Error('kernel %s: %s not found in %s' % (vs, alternatives[0], row[2]))
        errnos = []
        for row in table:
            if row[0] != 'errno':
                continue
            funcs = [n for n in row[2].split('|') if n in taken]
            value = '0'
            if funcs:
                value = errno_of_branch(taken[funcs[0]], ex.ev, row[3])
                if value is None:
                    c = taken[funcs[0]]
                    raise Error('%s:%d: %s: cannot tell which errno it returns where %s finds a match (errno %s in roots.txt)'
                                % (c.path, c.line, c.name, row[3], row[1]))
            errnos.append((row[1], value))
        write_output(ex, taken, forward, exports, features,
                     [r[1] for r in table if r[0] == 'uses'], a.out, tree, vs, errnos)
    except Error as e:
        print('extract: %s' % e, file=sys.stderr)
        return 1
    return 0


def topo_types(ex, types):
    """Order type chunks so every by-value use follows its definition."""
    names = {}
    for c in types:
        for n in c.names:
            names[n] = c
    deps = {}
    for c in types:
        strong, _ = references(c, ex.ev)
        deps[id(c)] = {id(names[n]) for n in strong if n in names and names[n] is not c}
    out, done, busy = [], set(), set()
    byid = {id(c): c for c in types}

    def visit(c):
        if id(c) in done:
            return
        if id(c) in busy:
            return   # cycle through a pointer that was not recognised as one: keep source order
        busy.add(id(c))
        for d in sorted(deps[id(c)], key=lambda k: ex.order[k]):
            visit(byid[d])
        done.add(id(c))
        out.append(c)

    for c in sorted(types, key=lambda c: ex.order[id(c)]):
        visit(c)
    return out


def emit(c, tree, text=None):
    """A definition (or the given text of it) behind a #line into the kernel tree."""
    return '#line %d "%s"\n%s\n' % (c.line, os.path.join(tree, c.path), c.text if text is None else text)


def line_preserving(funcs, tree, path):
    """The function bodies of one kernel file at their own line numbers, blank lines between.

    Coverage tools count physical lines and ignore #line, so a body placed at its
    kernel line makes llvm-cov point into the kernel file as sanitizers do. The
    first line (always the SPDX comment in the kernel) holds the #line naming the
    tree's file, so compilers report the same path and line.
    """
    text = ['#line 2 "%s"\n' % os.path.join(tree, path)]
    cur = 2
    for c in sorted(funcs, key=lambda c: c.line):
        if c.line < cur:   # overlaps the previous body: keep it correct for the compiler at least
            text.append('#line %d "%s"\n' % (c.line, os.path.join(tree, path)))
        else:
            text.append('\n' * (c.line - cur))
        text.append(c.text + '\n')
        cur = max(cur, c.line) + c.text.count('\n') + 1
    return text


def write_output(ex, taken, forward, exports, features, uses, out, tree, vs, errnos):
    chunks = {}
    for c in taken.values():
        chunks[id(c)] = c
    chunks = sorted(chunks.values(), key=lambda c: ex.order[id(c)])
    text_all = '\n'.join(active_text(c, ex.ev) for c in chunks)
    for m in set(re.findall(r'\bCONFIG_\w+', text_all)):
        ex.ev.config(m)
    macros = [c for c in chunks if c.kind == 'macro']
    types = topo_types(ex, [c for c in chunks if c.kind == 'type'])
    is_header = lambda c: c.path.endswith('.h')
    funcs = [c for c in chunks if c.kind == 'func']
    protos = [c for c in chunks if c.kind == 'proto']
    hvars = [c for c in chunks if c.kind == 'var' and is_header(c)]
    cvars = [c for c in chunks if c.kind == 'var' and not is_header(c)]
    os.makedirs(out, exist_ok=True)
    gen = '/* Generated by extracted/extract.py from kernel %s (%s): do not edit. */\n' % (vs, tree)
    h = [gen, '#ifndef KVM_EXTRACTED_H\n#define KVM_EXTRACTED_H\n',
         '#include "kernel_prelude.h"\n']
    h += [emit(c, tree) for c in macros]
    h.append('#line 1 "kvm_extracted.h"\n')
    # every struct/union named anywhere, so prototypes and typedefs never meet an
    # undeclared tag (a tag first seen in a parameter list is scoped to it)
    tags = set(forward)
    for c in chunks:
        tags.update('%s %s' % m for m in re.findall(r'\b(struct|union)\s+(\w+)', active_text(c, ex.ev)))
    h += ['%s;\n' % n for n in sorted(tags)]
    h += [emit(c, tree) for c in types]
    h += [emit(c, tree) for c in protos]
    for c in funcs:
        if not is_header(c) and not re.match(r'\s*static\b', strip_comments(c.text)):
            h.append(emit(c, tree, declarator(c) + ';'))
    h += [emit(c, tree) for c in hvars]
    for c in funcs:
        if is_header(c):
            h.append(emit(c, tree, declarator(c) + ';'))
    # bodies live in line-preserving copies under src/ (see line_preserving)
    sources = {}
    # a definer (DEFINE_CLASS ...) expands to inlines and types: it stays at its own
    # line, before the bodies that use it, and needs no declaration
    for c in funcs + [c for c in chunks if c.kind == 'definer']:
        sources.setdefault(c.path, []).append(c)
    h += ['#include "src/%s"\n' % p for p in sorted(sources) if p.endswith('.h')]
    h.append('#line 1 "kvm_extracted.h"\n')
    for name in exports:
        h.append(export_decl(taken[name]) + '\n')
    h.append('#endif\n')
    cfile = [gen, '#include "kvm_extracted.h"\n']
    for c in funcs:
        if not is_header(c) and re.match(r'\s*static\b', strip_comments(c.text)):
            cfile.append(emit(c, tree, declarator(c) + ';'))
    cfile += [emit(c, tree) for c in cvars]
    cfile += ['#include "src/%s"\n' % p for p in sorted(sources) if not p.endswith('.h')]
    cfile.append('#line 1 "kvm_extracted.c"\n')
    for name in exports:
        d = export_decl(taken[name])[len('extern '):]
        ref = name if taken[name].kind == 'func' else '&' + name
        cfile.append('%s = %s;\n' % (d.rstrip(';'), ref))
    feat = [gen, '#define KVM_EXTRACTED_VERSION "%s"\n' % vs,
            '#define KVM_EXTRACTED_VERSION_CODE %d\n' % (int(vs.split('.')[0]) * 65536 + int(vs.split('.')[1]) * 256)]
    for name in uses:
        feat.append('#define USES_%s %d\n' % (name, 1 if re.search(r'\b%s\b' % name, text_all) else 0))
    for name, found in features:
        feat.append('#define HAVE_%s %d\n' % (re.sub(r'\W', '_', name), 1 if found else 0))
    # a header the shims include only where the tree has it (model_sync.h)
    feat.append('#define HAVE_linux_cleanup_h %d\n' % os.path.isfile(os.path.join(tree, 'include/linux/cleanup.h')))
    for name, value in errnos:
        feat.append('#define ERRNO_%s (%s)\n' % (name, value))
    manifest = ['%-6s %-45s %s:%d via %s\n' % (c.kind, c.name, c.path, c.line, ex.via.get(id(c)))
                for c in chunks]
    conf = [gen] + ['#define %s 1\n' % k if v else '/* %s is not set */\n' % k
                    for k, v in sorted(ex.ev.kconfig.items())]
    os.makedirs(os.path.join(out, 'generated'), exist_ok=True)
    files = [('generated/autoconf.h', conf), ('kvm_extracted.h', h), ('kvm_extracted.c', cfile),
             ('kvm_features.h', feat), ('manifest.txt', manifest)]
    files += [('src/' + p, line_preserving(fs, tree, p)) for p, fs in sorted(sources.items())]
    for fn, body in files:
        os.makedirs(os.path.dirname(os.path.join(out, fn)), exist_ok=True)
        tmp = os.path.join(out, fn + '.tmp')
        with open(tmp, 'w') as f:
            f.write(''.join(body))
        os.replace(tmp, os.path.join(out, fn))


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
