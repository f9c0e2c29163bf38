/* create_cost's probes: each creates one worker, waits for it to finish, and says how long that
 * took. The worker does nothing, so the time is the creation and the join/reap alone. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parkit/create_cost.h"
#include "parkit/timer.h"

extern char **environ;

static void *nothing(void *arg) { return arg; }

double pk_cc_thread(char *err, size_t errlen)
{
    pthread_t t;
    double t0 = pk_wtime();
    int rc = pthread_create(&t, NULL, nothing, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "pthread_create: %s", strerror(rc));
        return -1.0;
    }
    pthread_join(t, NULL);
    return pk_wtime() - t0;
}

double pk_cc_fork(char *err, size_t errlen)
{
    int status = 0;
    double t0 = pk_wtime();
    pid_t pid = fork();
    if (pid == 0) _exit(0); /* the child only exits: nothing else is safe after fork in a threaded program */
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1.0;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    double dt = pk_wtime() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "forked child did not exit 0");
        return -1.0;
    }
    return dt;
}

/* Waits for pid until the deadline, polling every 0.2 ms (a blocking waitpid could never give up;
 * the poll adds at most 0.2 ms to a creation). On timeout kills the process group. Returns the
 * wait status, or -1 on timeout. */
static int wait_bounded(pid_t pid, double deadline)
{
    const struct timespec tick = {0, 200000};
    int status = 0;
    for (;;) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid) return status;
        if (got < 0 && errno != EINTR) return -1;
        if (pk_wtime() > deadline) {
            kill(-pid, SIGTERM);
            nanosleep(&(struct timespec){0, 200000000}, NULL); /* mpiexec gets 0.2 s to stop its ranks */
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
            return -1;
        }
        nanosleep(&tick, NULL);
    }
}

static int start(char *const argv[], int out_fd, pid_t *pid, char *err, size_t errlen)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    /* its own process group, so that a timeout can stop mpiexec and the ranks it started */
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0) { /* captured: its answer, and the launcher's messages saying why not */
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
        posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
    } else {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    }
    int rc = posix_spawn(pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(rc));
    return rc;
}

static int describe(int status, double timeout_s, const char *what, char *err, size_t errlen)
{
    if (status < 0) {
        snprintf(err, errlen, "%s: no answer within %g s (killed)", what, timeout_s);
        return -1;
    }
    if (WIFSIGNALED(status)) {
        snprintf(err, errlen, "%s: killed by signal %d", what, WTERMSIG(status));
        return -1;
    }
    return WEXITSTATUS(status);
}

double pk_cc_spawn(char *const argv[], double timeout_s, char *err, size_t errlen)
{
    pid_t pid;
    double t0 = pk_wtime();
    if (start(argv, -1, &pid, err, errlen) != 0) return -1.0;
    int status = wait_bounded(pid, t0 + timeout_s);
    double dt = pk_wtime() - t0;
    int code = describe(status, timeout_s, argv[0], err, errlen);
    if (code != 0) {
        if (code > 0) snprintf(err, errlen, "%s exited %d", argv[0], code);
        return -1.0;
    }
    return dt;
}

int pk_cc_capture(char *const argv[], double timeout_s, char *out, size_t outlen, char *err, size_t errlen)
{
    int fd[2];
    pid_t pid;
    out[0] = '\0';
    if (pipe2(fd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    if (start(argv, fd[1], &pid, err, errlen) != 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    close(fd[1]);
    /* read while it runs (a full pipe would block it), without blocking past the deadline */
    fcntl(fd[0], F_SETFL, O_NONBLOCK);
    double deadline = pk_wtime() + timeout_s;
    size_t used = 0;
    int status = -2;
    while (status == -2) {
        ssize_t got = read(fd[0], out + used, outlen - 1 - used);
        if (got > 0) {
            used += (size_t)got;
            if (used == outlen - 1) used = 0; /* keep the tail: the answer is the last line */
            continue;
        }
        int st;
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) status = st;
        else if (pk_wtime() > deadline) status = wait_bounded(pid, 0.0);
        else nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    ssize_t got;
    while (used < outlen - 1 && (got = read(fd[0], out + used, outlen - 1 - used)) > 0) used += (size_t)got;
    out[used] = '\0';
    close(fd[0]);
    return describe(status, timeout_s, argv[0], err, errlen);
}

int pk_cc_split(const char *cmd, char *buf, size_t buflen, char **words, int maxw)
{
    int n = 0;
    snprintf(buf, buflen, "%s", cmd ? cmd : "");
    for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w && n < maxw - 1; w = strtok_r(NULL, " \t", &save))
        words[n++] = w;
    words[n] = NULL;
    return n;
}
