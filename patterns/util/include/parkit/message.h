/* Messages whose every byte says who sent them and which one they are, so the receiver can check
 * that it got the right message, whole, in order (deadlock_mpi's ring, pipe_mpi's stream).
 * Neither OpenMP nor MPI: the programs move the bytes, these functions make and check them. */
#ifndef PARKIT_MESSAGE_H
#define PARKIT_MESSAGE_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* Fills buf[0..len) for message `seq` from `sender`: the first 8 bytes (when len >= 8) hold seq,
 * the rest a pattern that depends on sender, seq and the byte's position. */
void pk_msg_fill(unsigned char *buf, size_t len, uint64_t sender, uint64_t seq);
/* 1 when buf[0..len) is exactly what pk_msg_fill(sender, seq) makes; otherwise 0 with a reason
 * ("message 3 from rank 1: byte 17 is 0x2a, expected 0x91"). */
int pk_msg_check(const unsigned char *buf, size_t len, uint64_t sender, uint64_t seq, char *why, size_t whylen);
/* The length of message `seq` of a stream whose messages vary in length, 0..max_len, like the
 * objects a Pipe carries (first ones short: 0, 1, 2, ... then pseudo-random). */
size_t pk_msg_len(uint64_t seq, size_t max_len);

#ifdef __cplusplus
}
#endif
#endif
