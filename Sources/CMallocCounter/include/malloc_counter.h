// Counts calls to malloc and friends in this process, for the "a training step allocates nothing"
// check. Linking this target replaces the process's malloc with thin wrappers over glibc's
// __libc_* entry points; link it only into benchmark executables.
#pragma once
#include <stdint.h>

/// Number of allocation calls (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) so far.
uint64_t genlab_allocation_count(void);
