#include "cdeflate.h"
#include <zlib.h>
#include <string.h>

long cf_deflate_piece(const void *in, size_t count, void *out, size_t capacity, int level, int last) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (deflateInit2(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    stream.next_in = (Bytef *)in;
    stream.avail_in = (uInt)count;
    stream.next_out = (Bytef *)out;
    stream.avail_out = (uInt)capacity;
    int status = deflate(&stream, last ? Z_FINISH : Z_SYNC_FLUSH);
    long written = (long)(capacity - stream.avail_out);
    int ok = last ? status == Z_STREAM_END : (status == Z_OK && stream.avail_in == 0 && stream.avail_out > 0);
    deflateEnd(&stream);
    return ok ? written : -1;
}

size_t cf_deflate_bound(size_t count) {
    /* deflateBound for a raw stream, plus room for the sync-flush marker. */
    return count + count / 1000 + (count >> 12) + (count >> 14) + (count >> 25) + 64;
}

uint32_t cf_crc32(uint32_t crc, const void *data, size_t count) {
    const Bytef *p = (const Bytef *)data;
    uLong c = crc;
    while (count > 0) {
        uInt n = count > 0x40000000u ? 0x40000000u : (uInt)count;
        c = crc32(c, p, n);
        p += n;
        count -= n;
    }
    return (uint32_t)c;
}

uint32_t cf_crc32_combine(uint32_t crc_a, uint32_t crc_b, int64_t count_b) {
    return (uint32_t)crc32_combine(crc_a, crc_b, (z_off_t)count_b);
}
