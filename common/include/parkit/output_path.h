/* The one check of an output path, before the work starts: a file a program will write at the end
 * (mandel's --image, later a checkpoint) must be creatable or writable now, so that a bad path is a
 * usage error (exit 2) and not a failure after minutes of computing. */
#ifndef PARKIT_OUTPUT_PATH_H
#define PARKIT_OUTPUT_PATH_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* 0 when path is an existing regular file this process can write, or a new file it can create
 * (created and removed again to find out; existing files are not changed). Otherwise -1 with one
 * line in err: a directory, a device or other non-regular file, a missing directory, no
 * permission, a read-only file system. Safe when several ranks check the same path at once. */
int pk_output_path_check(const char *path, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
