/* Checkpoints of a kernel run: the blocks done and their exact partial result, so that a long run
 * interrupted by a signal, a time limit or a crash resumes where it was and ends with the same
 * result, bit for bit (the combine is exact, so "blocks [0, B) combined" is the whole state).
 *
 * The file is text, one "key value" per line, ending with a zlib CRC-32 of everything above it:
 *   parkit-checkpoint 1          format version
 *   kernel, n, block, blocks     the job; params: the kernel's described parameters (%-escaped)
 *   warmup, repeat               the runs of the command
 *   run R                        the run in progress (R = warmup + repeat: all done)
 *   next_block B                 blocks [0, B) of run R are in partial
 *   partial HEX                  the kernel's result bytes
 *   run_seconds S, times T,...   time spent in run R so far, and the finished timed runs (hex floats)
 *   crc32 XXXXXXXX
 * Written atomically: a temporary file beside it, fsync, rename, fsync of the directory; a crash at
 * any moment leaves the old state or the new one. Pure C, no MPI: under MPI rank 0 alone writes. */
#ifndef PARKIT_CHECKPOINT_H
#define PARKIT_CHECKPOINT_H
#include <stddef.h>
#include <stdint.h>
#include "parkit/kernel.h"
#ifdef __cplusplus
extern "C" {
#endif

#define PK_CHECKPOINT_VERSION 1

typedef struct pk_checkpoint {
    /* identity: a checkpoint resumes only the same job */
    char kernel[64];
    uint64_t n, block, blocks, warmup, repeat;
    char params[1024]; /* "key=value;..." of the kernel's described parameters */
    /* state */
    uint64_t run, next_block;
    pk_result partial;
    size_t result_size;
    double run_seconds;
    double *times; /* run - warmup finished timed runs (malloc'd; pk_checkpoint_free) */
    uint64_t ntimes;
} pk_checkpoint;

/* The identity of a job (state zeroed: run 0, no blocks done, partial = identity). */
void pk_checkpoint_init(pk_checkpoint *c, const pk_kernel *k, const pk_job *job, uint64_t warmup, uint64_t repeat);
void pk_checkpoint_free(pk_checkpoint *c);

/* Writes c to path atomically. 0, or -1 with one line in err. */
int pk_checkpoint_write(const char *path, const pk_checkpoint *c, char *err, size_t errlen);

/* Reads path into c and checks it against `want` (the same identity): 1 when read and it matches,
 * 0 when path does not exist (a fresh start), -1 with one line in err when it cannot be read, is
 * truncated or corrupted (checksum), of another format version, or of another job. */
int pk_checkpoint_read(const char *path, const pk_checkpoint *want, pk_checkpoint *c, char *err, size_t errlen);

/* Makes this process the one run that owns the checkpoint at path: an advisory lock (flock) on
 * "path.lock" beside it, held until the process ends (the lock file stays; it holds nothing). A
 * second run on the same file is refused instead of both writing it and the later one silently
 * winning. Once the lock is held, temporary files a dead run left beside the checkpoint are
 * removed. Returns the lock's descriptor (keep it open), or -1 with one line in err. */
int pk_checkpoint_lock(const char *path, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
