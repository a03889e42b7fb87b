/* REAL: forwards to the kernel tree's own header. */
#include <include/linux/interval_tree_generic.h>
