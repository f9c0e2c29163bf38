/* Self-describing messages (see message.h). */
#include "parkit/message.h"

#include <stdio.h>
#include <string.h>

#include "parkit/pattern_work.h"

/* Byte i of message (sender, seq): byte i % 8 of one well-mixed word per 8 bytes. */
static uint64_t word_at(uint64_t sender, uint64_t seq, size_t i)
{
    return pk_mix64((sender << 40) ^ (seq << 8) ^ (uint64_t)(i / 8) * 0x9E3779B97F4A7C15ULL);
}

void pk_msg_fill(unsigned char *buf, size_t len, uint64_t sender, uint64_t seq)
{
    size_t i = 0;
    if (len >= 8) {
        memcpy(buf, &seq, 8);
        i = 8;
    }
    uint64_t w = 0;
    for (; i < len; i++) {
        if (i % 8 == 0 || i == 0) w = word_at(sender, seq, i);
        buf[i] = (unsigned char)(w >> (8 * (i % 8)));
    }
}

int pk_msg_check(const unsigned char *buf, size_t len, uint64_t sender, uint64_t seq, char *why, size_t whylen)
{
    size_t i = 0;
    if (len >= 8) {
        uint64_t got;
        memcpy(&got, buf, 8);
        if (got != seq) {
            snprintf(why, whylen, "message %llu from rank %llu: carries sequence number %llu (out of order or lost)",
                     (unsigned long long)seq, (unsigned long long)sender, (unsigned long long)got);
            return 0;
        }
        i = 8;
    }
    uint64_t w = 0;
    for (; i < len; i++) {
        if (i % 8 == 0 || i == 0) w = word_at(sender, seq, i);
        unsigned char want = (unsigned char)(w >> (8 * (i % 8)));
        if (buf[i] != want) {
            snprintf(why, whylen, "message %llu from rank %llu: byte %zu is 0x%02x, expected 0x%02x",
                     (unsigned long long)seq, (unsigned long long)sender, i, buf[i], want);
            return 0;
        }
    }
    return 1;
}

size_t pk_msg_len(uint64_t seq, size_t max_len)
{
    if (seq <= max_len && seq < 16) return (size_t)seq;
    return (size_t)(pk_mix64(seq ^ 0x5851F42D4C957F2DULL) % ((uint64_t)max_len + 1));
}
