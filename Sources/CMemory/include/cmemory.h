#ifndef CMEMORY_H
#define CMEMORY_H

#include <stddef.h>

/// Serves every allocation of at least `bytes` from its own mapping, returned to the
/// system when freed (glibc otherwise raises this threshold after large frees and keeps
/// freed blocks in the heap); smaller blocks freed at the top of a heap are kept for reuse
/// up to eight times `bytes`. Returns 0 if the allocator refused.
int cf_map_blocks_from(size_t bytes);

#endif
