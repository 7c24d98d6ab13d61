#ifndef CEPHALOFORGE_CDEFLATE_H
#define CEPHALOFORGE_CDEFLATE_H

#include <stddef.h>
#include <stdint.h>

/// Compresses `in[0..<count]` as one piece of a raw deflate stream (no zlib header) at
/// `level` (1–9). A piece that is not `last` ends on a byte boundary (Z_SYNC_FLUSH), so
/// pieces compressed apart and concatenated in order form one valid stream; the `last`
/// piece closes the stream. `out` must hold `cf_deflate_bound(count)` bytes. Returns the
/// number of bytes written, or -1 when zlib fails.
long cf_deflate_piece(const void *in, size_t count, void *out, size_t capacity, int level, int last);

/// The most bytes `cf_deflate_piece` can write for `count` input bytes.
size_t cf_deflate_bound(size_t count);

/// CRC-32 (zip's) of `count` bytes, continuing from `crc` (0 to start).
uint32_t cf_crc32(uint32_t crc, const void *data, size_t count);

/// The CRC-32 of A followed by B from the CRC-32s of A and of B (B `count_b` bytes long).
uint32_t cf_crc32_combine(uint32_t crc_a, uint32_t crc_b, int64_t count_b);

#endif
