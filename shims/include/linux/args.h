/* REAL: forwards to the kernel tree's own header. */
#include <include/linux/args.h>
