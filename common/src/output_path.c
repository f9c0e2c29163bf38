/* Output files: the up-front check and the one safe way to write them (see output_path.h). Written by
 * hand on POSIX calls because no library on the target systems offers an atomic, symlink-safe
 * replace that keeps the old file's mode; glib's g_file_set_contents comes closest and is too big a
 * dependency for a C kit. */
#define _GNU_SOURCE /* mkostemp */
#include "parkit/output_path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *path, const char *why, char *err, size_t errlen)
{
    snprintf(err, errlen, "cannot write '%s': %s", path, why);
    return -1;
}

/* The file that writing `path` replaces: path itself, or, when path is a symbolic link, the file
 * it points to (written through, as an editor does: the link stays a link). 0, or -1 with `why`. */
static int resolve(const char *path, char *target, size_t len, char *why, size_t whylen)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) {
        snprintf(target, len, "%s", path);
        return 0;
    }
    char *real = realpath(path, NULL);
    if (!real) {
        snprintf(why, whylen, errno == ENOENT ? "a symbolic link to a file that does not exist"
                                               : "cannot follow its symbolic link: %s", strerror(errno));
        return -1;
    }
    int fits = snprintf(target, len, "%s", real) < (int)len;
    free(real);
    if (!fits) {
        snprintf(why, whylen, "its symbolic link leads to a path too long");
        return -1;
    }
    return 0;
}

/* The directory of path ("." when none). */
static void dir_of(const char *path, char *out, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(out, len, ".");
    else if (slash == path) snprintf(out, len, "/");
    else snprintf(out, len, "%.*s", (int)(slash - path), path);
}

/* ".NAME.tmp." : the start of every temporary file name pk_output_replace makes for target NAME.
 * 0, or -1 when it does not fit out. */
static int temp_prefix(const char *target, char *out, size_t len)
{
    const char *base = strrchr(target, '/');
    return snprintf(out, len, ".%s.tmp.", base ? base + 1 : target) < (int)len ? 0 : -1;
}

/* A new temporary file beside `target`, with a name no one can guess (mkostemp: O_CREAT|O_EXCL, so a
 * file or symbolic link planted at any name is never opened), mode 0600 until it is complete. */
static int temp_beside(const char *target, char *tmp, size_t len)
{
    char dir[PATH_MAX], prefix[PATH_MAX + 16];
    dir_of(target, dir, sizeof dir);
    if (temp_prefix(target, prefix, sizeof prefix) != 0 || snprintf(tmp, len, "%s/%sXXXXXX", dir, prefix) >= (int)len) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkostemp(tmp, O_CLOEXEC);
}

int pk_output_path_check(const char *path, char *err, size_t errlen)
{
    if (!path || !path[0]) return fail("", "empty file name", err, errlen);
    char target[PATH_MAX], why[PATH_MAX + 64];
    if (resolve(path, target, sizeof target, why, sizeof why) != 0) return fail(path, why, err, errlen);
    struct stat st;
    if (stat(target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return fail(path, "it is a directory", err, errlen);
        if (!S_ISREG(st.st_mode)) return fail(path, "not a regular file (a device, FIFO or socket)", err, errlen);
    } else if (errno != ENOENT) {
        return fail(path, strerror(errno), err, errlen);
    }
    /* the file is replaced by a rename in its directory: that directory must take a new file */
    char tmp[PATH_MAX + 32];
    int fd = temp_beside(target, tmp, sizeof tmp);
    if (fd < 0) {
        char dir[PATH_MAX];
        dir_of(target, dir, sizeof dir);
        snprintf(why, sizeof why, "cannot create files in '%s': %s", dir, strerror(errno));
        return fail(path, why, err, errlen);
    }
    close(fd);
    unlink(tmp);
    return 0;
}

int pk_output_replace(const char *path, const void *data, size_t len, char *why, size_t whylen)
{
    char target[PATH_MAX], tmp[PATH_MAX + 32], dir[PATH_MAX];
    if (resolve(path, target, sizeof target, why, whylen) != 0) return -1;
    struct stat old;
    int existed = stat(target, &old) == 0;
    if (existed && !S_ISREG(old.st_mode)) {
        snprintf(why, whylen, "not a regular file (a device, FIFO or socket)");
        return -1;
    }
    int fd = temp_beside(target, tmp, sizeof tmp);
    if (fd < 0) {
        snprintf(why, whylen, "cannot create its temporary file: %s", strerror(errno));
        return -1;
    }
    const char *what = NULL;
    size_t off = 0;
    while (!what && off < len) {
        ssize_t w = write(fd, (const char *)data + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            what = "cannot write";
        } else {
            off += (size_t)w;
        }
    }
    /* the old file's mode, or what a new file gets (0666 less the umask) */
    mode_t mode = existed ? old.st_mode & 07777 : 0666;
    if (!existed) {
        mode_t mask = umask(0);
        umask(mask);
        mode &= ~mask;
    }
    if (!what && fchmod(fd, mode) != 0) what = "cannot set its mode";
    if (!what && fsync(fd) != 0) what = "cannot fsync";
    int e = errno;
    if (close(fd) != 0 && !what) what = "cannot close", e = errno;
    if (!what && rename(tmp, target) != 0) what = "cannot rename the temporary file over it", e = errno;
    if (what) {
        unlink(tmp);
        snprintf(why, whylen, "%s: %s", what, strerror(e));
        return -1;
    }
    /* the rename itself is durable once the directory is synced */
    dir_of(target, dir, sizeof dir);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

void pk_output_remove_stale(const char *path)
{
    char target[PATH_MAX], why[64], dir[PATH_MAX], prefix[PATH_MAX + 16];
    if (resolve(path, target, sizeof target, why, sizeof why) != 0) return;
    dir_of(target, dir, sizeof dir);
    if (temp_prefix(target, prefix, sizeof prefix) != 0) return;
    size_t plen = strlen(prefix);
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        /* exactly mkostemp's names: the prefix and 6 characters; regular files of ours only */
        if (strncmp(e->d_name, prefix, plen) != 0 || strlen(e->d_name) != plen + 6) continue;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            st.st_uid == geteuid())
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}
