#include "parkit/output_path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *path, const char *why, char *err, size_t errlen)
{
    snprintf(err, errlen, "cannot write '%s': %s", path, why);
    return -1;
}

int pk_output_path_check(const char *path, char *err, size_t errlen)
{
    if (!path || !path[0]) return fail("", "empty file name", err, errlen);
    /* a few tries: another rank checking the same path may create and remove it meanwhile */
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            close(fd);
            unlink(path);
            return 0;
        }
        if (errno != EEXIST) return fail(path, strerror(errno), err, errlen);
        struct stat st;
        if (stat(path, &st) != 0) {
            if (errno == ENOENT) continue;
            return fail(path, strerror(errno), err, errlen);
        }
        if (S_ISDIR(st.st_mode)) return fail(path, "it is a directory", err, errlen);
        if (!S_ISREG(st.st_mode)) return fail(path, "not a regular file", err, errlen);
        fd = open(path, O_WRONLY | O_CLOEXEC); /* no O_TRUNC: the file stays as it is */
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        if (errno != ENOENT) return fail(path, strerror(errno), err, errlen);
    }
    return fail(path, "it keeps appearing and disappearing", err, errlen);
}
