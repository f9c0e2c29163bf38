#define _GNU_SOURCE /* fsync, dirname-free path handling */
#include "parkit/checkpoint.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "parkit/output_path.h"
#include "parkit/report.h"

#define MAX_FILE (64u << 20) /* far above any real checkpoint (100000 times = 2.4 MB) */

/* %-escape everything outside printable ASCII, and '%', ';' and '=' */
static void escape_into(char *out, size_t len, size_t *used, const char *s)
{
    for (; *s && *used + 4 < len; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch <= 0x20 || ch >= 0x7f || ch == '%' || ch == ';' || ch == '=')
            *used += (size_t)snprintf(out + *used, len - *used, "%%%02X", ch);
        else
            out[(*used)++] = (char)ch;
    }
    out[*used] = '\0';
}

void pk_checkpoint_init(pk_checkpoint *c, const pk_kernel *k, const pk_job *job, uint64_t warmup, uint64_t repeat)
{
    memset(c, 0, sizeof *c);
    snprintf(c->kernel, sizeof c->kernel, "%s", k->name);
    c->n = job->n;
    c->block = k->block;
    c->blocks = k->block ? job->n / k->block + (job->n % k->block != 0) : 0;
    c->warmup = warmup;
    c->repeat = repeat;
    if (k->describe) {
        pk_report r;
        pk_report_init(&r, NULL);
        k->describe(job, &r);
        size_t used = 0;
        for (size_t i = 0; i < r.count; i++) {
            if (i) escape_into(c->params, sizeof c->params, &used, ";");
            escape_into(c->params, sizeof c->params, &used, r.fields[i].key);
            if (used + 2 < sizeof c->params) c->params[used++] = '=', c->params[used] = '\0';
            escape_into(c->params, sizeof c->params, &used, r.fields[i].text);
        }
    }
    c->result_size = k->result_size;
    k->identity(&c->partial);
}

void pk_checkpoint_free(pk_checkpoint *c)
{
    free(c->times);
    c->times = NULL;
    c->ntimes = 0;
}

/* ---- writing ------------------------------------------------------------------------------------ */
typedef struct text {
    char *buf;
    size_t len, cap;
    int oom;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = t->oom ? -1 : vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->oom = 1;
            return;
        }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = (t->cap + (size_t)n + 1) * 2;
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->oom = 1;
            return;
        }
        t->buf = b, t->cap = cap;
    }
}

static int fail_errno(char *err, size_t errlen, const char *path, const char *what)
{
    snprintf(err, errlen, "checkpoint '%s': %s: %s", path, what, strerror(errno));
    return -1;
}

int pk_checkpoint_write(const char *path, const pk_checkpoint *c, char *err, size_t errlen)
{
    text t = {malloc(4096), 0, 4096, 0};
    if (!t.buf) t.oom = 1, t.cap = 0;
    add(&t, "parkit-checkpoint %d\n", PK_CHECKPOINT_VERSION);
    add(&t, "kernel %s\nn %llu\nblock %llu\nblocks %llu\nparams %s\nwarmup %llu\nrepeat %llu\n", c->kernel,
        (unsigned long long)c->n, (unsigned long long)c->block, (unsigned long long)c->blocks, c->params,
        (unsigned long long)c->warmup, (unsigned long long)c->repeat);
    add(&t, "run %llu\nnext_block %llu\npartial ", (unsigned long long)c->run, (unsigned long long)c->next_block);
    for (size_t i = 0; i < c->result_size; i++) add(&t, "%02x", c->partial.bytes[i]);
    add(&t, "\nrun_seconds %a\ntimes", c->run_seconds);
    for (uint64_t i = 0; i < c->ntimes; i++) add(&t, "%s%a", i ? "," : " ", c->times[i]);
    add(&t, "\n");
    if (!t.oom) {
        uLong crc = crc32(0L, (const Bytef *)t.buf, (uInt)t.len);
        add(&t, "crc32 %08lx\n", (unsigned long)crc);
    }
    if (t.oom) {
        free(t.buf);
        snprintf(err, errlen, "checkpoint '%s': out of memory", path);
        return -1;
    }

    char why[512];
    int rc = pk_output_replace(path, t.buf, t.len, why, sizeof why);
    free(t.buf);
    if (rc != 0) {
        snprintf(err, errlen, "checkpoint '%s': %s", path, why);
        return -1;
    }
    return 0;
}

/* ---- reading ------------------------------------------------------------------------------------ */
static int bad(char *err, size_t errlen, const char *path, const char *why)
{
    snprintf(err, errlen, "checkpoint '%s': %s", path, why);
    return -1;
}

/* The value of line "key value" at *p (advancing past it), NUL-terminated in place; NULL if the
 * line does not start with key. */
static char *field(char **p, const char *key)
{
    size_t kl = strlen(key);
    if (strncmp(*p, key, kl) != 0 || ((*p)[kl] != ' ' && (*p)[kl] != '\n')) return NULL;
    char *v = *p + kl + ((*p)[kl] == ' ');
    char *nl = strchr(v, '\n');
    if (!nl) return NULL;
    *nl = '\0';
    *p = nl + 1;
    return v;
}

/* Exactly as the writer writes them: decimal digits, no sign, no leading zero (but "0" itself). */
static int u64_of(const char *s, uint64_t *out)
{
    if (!s || !*s || (s[0] == '0' && s[1])) return -1;
    for (const char *q = s; *q; q++)
        if (*q < '0' || *q > '9') return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

static int double_of(const char *s, double *out)
{
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return errno || *end || !(*out >= 0) || *out > 1e12 ? -1 : 0;
}

int pk_checkpoint_read(const char *path, const pk_checkpoint *want, pk_checkpoint *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return 0;
        return fail_errno(err, errlen, path, "cannot open");
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return bad(err, errlen, path, "not a regular file");
    }
    if ((uint64_t)st.st_size > MAX_FILE) {
        fclose(f);
        return bad(err, errlen, path, "too large to be a checkpoint");
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        fclose(f);
        return bad(err, errlen, path, "out of memory reading it");
    }
    size_t len = fread(buf, 1, (size_t)st.st_size, f);
    int rerr = ferror(f);
    fclose(f);
    buf[len] = '\0';
    int rc = -1;
    if (rerr) {
        rc = fail_errno(err, errlen, path, "cannot read");
        goto out;
    }
    if (len == 0 || memchr(buf, '\0', len)) {
        rc = bad(err, errlen, path, len ? "not a checkpoint (binary data)" : "empty: truncated?");
        goto out;
    }
    /* the checksum line covers every byte before it */
    char *tail = len >= 2 ? buf + len - 2 : buf;
    while (tail > buf && *tail != '\n') tail--;
    if (tail == buf || strncmp(tail + 1, "crc32 ", 6) != 0 || buf[len - 1] != '\n') {
        rc = bad(err, errlen, path, "truncated or not a checkpoint (no checksum line at its end)");
        goto out;
    }
    uLong have = crc32(0L, (const Bytef *)buf, (uInt)(tail + 1 - buf));
    /* exactly the writer's "crc32 %08lx\n": 8 lowercase hex digits, nothing else (strtoul alone
     * would take a sign, "0x", spaces) */
    const char *digits = tail + 7;
    int crc_ok = buf + len == digits + 9 && digits[8] == '\n';
    for (int i = 0; crc_ok && i < 8; i++) crc_ok = strchr("0123456789abcdef", digits[i]) && digits[i];
    unsigned long stored = crc_ok ? strtoul(digits, NULL, 16) : 0;
    if (!crc_ok || stored != have) {
        rc = bad(err, errlen, path, "corrupted: its checksum does not match its contents");
        goto out;
    }
    char *p = buf;
    char *v = field(&p, "parkit-checkpoint");
    uint64_t version;
    if (!v || u64_of(v, &version) != 0) {
        rc = bad(err, errlen, path, "not a parkit checkpoint");
        goto out;
    }
    if (version != PK_CHECKPOINT_VERSION) {
        snprintf(err, errlen, "checkpoint '%s': format version %llu, this program reads version %d", path,
                 (unsigned long long)version, PK_CHECKPOINT_VERSION);
        goto out;
    }
    const char *kernel = field(&p, "kernel");
    uint64_t *nums[] = {&c->n, &c->block, &c->blocks};
    const char *names[] = {"n", "block", "blocks"};
    if (!kernel || strlen(kernel) >= sizeof c->kernel) {
        rc = bad(err, errlen, path, "malformed line 'kernel'");
        goto out;
    }
    snprintf(c->kernel, sizeof c->kernel, "%s", kernel);
    for (int i = 0; i < 3; i++)
        if (u64_of(field(&p, names[i]), nums[i]) != 0) {
            snprintf(err, errlen, "checkpoint '%s': malformed line '%s'", path, names[i]);
            goto out;
        }
    const char *params = field(&p, "params");
    if (!params || strlen(params) >= sizeof c->params) {
        rc = bad(err, errlen, path, "malformed line 'params'");
        goto out;
    }
    snprintf(c->params, sizeof c->params, "%s", params);
    if (u64_of(field(&p, "warmup"), &c->warmup) != 0 || u64_of(field(&p, "repeat"), &c->repeat) != 0 ||
        u64_of(field(&p, "run"), &c->run) != 0 || u64_of(field(&p, "next_block"), &c->next_block) != 0) {
        rc = bad(err, errlen, path, "malformed warmup, repeat, run or next_block line");
        goto out;
    }
    /* the identity: the same job, else resuming would give a wrong answer */
    if (strcmp(c->kernel, want->kernel) != 0) {
        snprintf(err, errlen, "checkpoint '%s' is of kernel %s, not %s", path, c->kernel, want->kernel);
        goto out;
    }
    if (c->n != want->n || c->block != want->block || c->blocks != want->blocks) {
        snprintf(err, errlen, "checkpoint '%s' is of n = %llu (%llu blocks of %llu), not n = %llu", path,
                 (unsigned long long)c->n, (unsigned long long)c->blocks, (unsigned long long)c->block,
                 (unsigned long long)want->n);
        goto out;
    }
    if (strcmp(c->params, want->params) != 0) {
        snprintf(err, errlen, "checkpoint '%s' is of other parameters (%s), not %s", path, c->params, want->params);
        goto out;
    }
    if (c->warmup != want->warmup || c->repeat != want->repeat) {
        snprintf(err, errlen, "checkpoint '%s' is of --warmup %llu --repeat %llu, not --warmup %llu --repeat %llu",
                 path, (unsigned long long)c->warmup, (unsigned long long)c->repeat,
                 (unsigned long long)want->warmup, (unsigned long long)want->repeat);
        goto out;
    }
    if (c->run > c->warmup + c->repeat || c->next_block > c->blocks ||
        (c->run == c->warmup + c->repeat && c->next_block != 0)) {
        rc = bad(err, errlen, path, "inconsistent: run or next_block out of range");
        goto out;
    }
    const char *hex = field(&p, "partial");
    c->result_size = want->result_size;
    if (!hex || strlen(hex) != 2 * c->result_size) {
        rc = bad(err, errlen, path, "malformed line 'partial' (another kernel version?)");
        goto out;
    }
    for (size_t i = 0; i < c->result_size; i++) {
        unsigned byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1 || !strchr("0123456789abcdef", hex[2 * i]) ||
            !strchr("0123456789abcdef", hex[2 * i + 1])) {
            rc = bad(err, errlen, path, "malformed line 'partial'");
            goto out;
        }
        c->partial.bytes[i] = (unsigned char)byte;
    }
    if (double_of(field(&p, "run_seconds"), &c->run_seconds) != 0) {
        rc = bad(err, errlen, path, "malformed line 'run_seconds'");
        goto out;
    }
    char *times = field(&p, "times");
    if (!times) {
        rc = bad(err, errlen, path, "malformed line 'times'");
        goto out;
    }
    uint64_t want_times = c->run > c->warmup ? c->run - c->warmup : 0;
    c->times = calloc(want_times ? want_times : 1, sizeof *c->times);
    if (!c->times) {
        rc = bad(err, errlen, path, "out of memory reading it");
        goto out;
    }
    /* comma-separated, nothing between two commas nor at either end (strtok_r would skip such empty
     * fields silently) */
    size_t tlen = strlen(times);
    if (tlen && (times[0] == ',' || times[tlen - 1] == ',' || strstr(times, ",,"))) {
        rc = bad(err, errlen, path, "malformed line 'times'");
        goto out;
    }
    char *save = NULL;
    for (char *tok = strtok_r(times, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (c->ntimes == want_times || double_of(tok, &c->times[c->ntimes]) != 0) {
            rc = bad(err, errlen, path, "malformed line 'times'");
            goto out;
        }
        c->ntimes++;
    }
    if (c->ntimes != want_times || p != tail + 1) {
        rc = bad(err, errlen, path, c->ntimes != want_times ? "inconsistent: times of finished runs missing"
                                                           : "unexpected lines before the checksum");
        goto out;
    }
    rc = 1;
out:
    free(buf);
    if (rc != 1) pk_checkpoint_free(c);
    return rc;
}

int pk_checkpoint_lock(const char *path, char *err, size_t errlen)
{
    char lock[4200];
    if (snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock) {
        snprintf(err, errlen, "checkpoint '%s': path too long", path);
        return -1;
    }
    /* O_NOFOLLOW: a symbolic link planted at the lock's name is not followed into another file.
     * Read-only: flock needs no more, and a file held open for writing would keep the file system
     * from being remounted read-only under a running job. */
    int fd = open(lock, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
        snprintf(err, errlen, "checkpoint '%s': cannot open its lock '%s': %s", path, lock, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(err, errlen, "checkpoint '%s': its lock '%s' is not a regular file", path, lock);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            snprintf(err, errlen, "checkpoint '%s' is in use by another run (it holds '%s'): one run per "
                     "checkpoint file", path, lock);
        else
            snprintf(err, errlen, "checkpoint '%s': cannot lock '%s': %s", path, lock, strerror(e));
        return -1;
    }
    pk_output_remove_stale(path); /* what a run killed mid-write left: no live run owns it now */
    return fd;
}
