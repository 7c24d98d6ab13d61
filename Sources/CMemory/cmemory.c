#include "cmemory.h"

#include <limits.h>
#include <malloc.h>

int cf_map_blocks_from(size_t bytes) {
    if (bytes > INT_MAX) return 0;
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
}
