/* STUB: the kernel API comes from kernel_api.h. */
#include "../../kernel_api.h"
