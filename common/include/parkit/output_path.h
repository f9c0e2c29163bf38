/* The one check of an output path, before the work starts: a file a program will write at the end
 * (mandel's --image, later a checkpoint) must be creatable or writable now, so that a bad path is a
 * usage error (exit 2) and not a failure after minutes of computing. */
#ifndef PARKIT_OUTPUT_PATH_H
#define PARKIT_OUTPUT_PATH_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* 0 when pk_output_replace can write path: it is a regular file or does not exist yet (a symbolic
 * link counts as the file it points to), and its directory takes a new file (a temporary one is
 * created and removed to find out; the file itself is not touched). Otherwise -1 with one line in
 * err: a directory, a device, FIFO or socket, a dangling link, a missing or unwritable directory, a
 * read-only file system. Safe when several ranks check the same path at once. */
int pk_output_path_check(const char *path, char *err, size_t errlen);

/* Replaces the file at path with `len` bytes of data, atomically: a temporary file with an
 * unpredictable name beside it (created exclusively: nothing planted there is ever followed),
 * written, given the old file's mode (a new file: 0666 less the umask), fsynced, renamed over the
 * file, and the directory fsynced. A symbolic link at path is written through. Devices, FIFOs and
 * sockets are refused. A failure leaves the old file as it was and no temporary file. 0, or -1
 * with `why` (no path in it: the caller names the file). */
int pk_output_replace(const char *path, const void *data, size_t len, char *why, size_t whylen);

/* Removes the temporary files pk_output_replace left beside path when its process was killed
 * mid-write (regular files of this user with its exact name pattern). Only for a caller that owns
 * path, so that no live writer's temporary file is taken (the checkpoint's lock says so). */
void pk_output_remove_stale(const char *path);

#ifdef __cplusplus
}
#endif
#endif
