#include "cmemory.h"

#include <limits.h>
#include <malloc.h>

int cf_map_blocks_from(size_t bytes) {
    if (bytes > INT_MAX / 8) return 0;
    // Fixing the mapping threshold also fixes the trim threshold at its 128 KiB default, so
    // a heap would hand back (and fault in again) every few hundred KiB freed at its top;
    // keep up to eight blocks' worth before trimming.
    if (!mallopt(M_TRIM_THRESHOLD, (int)(8 * bytes))) return 0;
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
}
