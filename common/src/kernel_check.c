/* pk_kernel_resolve: a kernel is checked before it runs, and its optional fields get their
 * defaults (the table in kernel.h). A missing hook would otherwise be a SIGSEGV with no message, a
 * zero result_size a result that PASSes on threads and FAILs under MPI, a zero block a rate of
 * nothing: each is one line naming the field instead. */
#include <stdio.h>
#include <string.h>

#include "parkit/partition.h"
#include "parkit/program.h"

/* The documented default identity: a zeroed result (hooks take a whole pk_result). */
static void zero_result(void *result) { memset(result, 0, sizeof(pk_result)); }

/* The documented default params: the zeroes they start with. */
static void zeroed_params(void *params) { (void)params; }

/* The documented default work: n elements. */
static pk_work n_elements(const pk_job *job, const void *result)
{
    (void)result;
    return (pk_work){.elements = (double)job->n};
}

static int valid_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 48) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

int pk_kernel_resolve(const pk_kernel *k, const char *expected_name, pk_kernel *out, char *err, size_t errlen)
{
#define MISSING(field, why)                                                                               \
    do {                                                                                                  \
        snprintf(err, errlen, "kernel '%s': %s", k->name ? k->name : "(no name)", field " " why);         \
        return -1;                                                                                        \
    } while (0)
    if (!k) {
        snprintf(err, errlen, "no kernel: the program's pk_program has kernel = NULL");
        return -1;
    }
    *out = *k;
    const pk_reducer *red = k->reducer;
    if (!out->result_size && red) out->result_size = red->size;
    if (!out->combine && red) out->combine = red->combine;
    if (!out->report && red) out->report = red->report;
    if (!out->identity) out->identity = zero_result;
    if (!out->work) out->work = n_elements;
    if (!out->defaults) out->defaults = zeroed_params;
    if (!out->max_n) out->max_n = UINT64_MAX;

    if (!k->name) MISSING(".name", "is missing (the kernel's name, e.g. \"sum\")");
    if (!valid_name(k->name)) {
        snprintf(err, errlen, "kernel '%s': .name must be 1 to 48 characters of a-z, 0-9 and _", k->name);
        return -1;
    }
    if (expected_name && strcmp(k->name, expected_name) != 0) {
        snprintf(err, errlen, "kernel '%s': .name does not match the program it was built as (parkit_add_kernel(%s)): "
                 "its reports would carry another kernel's name", k->name, expected_name);
        return -1;
    }
    if (!k->summary) MISSING(".summary", "is missing (one line for --help and the report)");
    if (!k->block) MISSING(".block", "is 0 (elements per block: a fixed size > 0, e.g. 65536)");
    if (!k->partial) MISSING(".partial", "is missing (the result over [lo, hi))");
    if (!k->verify) MISSING(".verify", "is missing (the comparison with an independent reference)");
    if (!out->result_size)
        MISSING(".result_size", "is 0 (the bytes of the result in use; or set .reducer to a stock result type)");
    if (out->result_size > PK_RESULT_MAX) {
        snprintf(err, errlen, "kernel '%s': .result_size %zu is over PK_RESULT_MAX (%d bytes)", k->name,
                 out->result_size, PK_RESULT_MAX);
        return -1;
    }
    if (red && k->result_size && k->result_size != red->size) {
        snprintf(err, errlen, "kernel '%s': .result_size %zu differs from its reducer %s's %zu bytes", k->name,
                 k->result_size, red->name, red->size);
        return -1;
    }
    if (!out->combine) MISSING(".combine", "is missing (merges two partials exactly; or set .reducer)");
    if (!out->report) MISSING(".report", "is missing (adds the field \"result\" to the report; or set .reducer)");
    if (k->setup && !k->teardown) MISSING(".teardown", "is missing (.setup allocates, .teardown must free)");
    if (k->max_n && k->default_n > k->max_n) {
        snprintf(err, errlen, "kernel '%s': .default_n %llu is over its .max_n %llu", k->name,
                 (unsigned long long)k->default_n, (unsigned long long)k->max_n);
        return -1;
    }
    for (size_t i = 0; i < PK_KERNEL_MAX_OPTS && k->opts[i].name; i++)
        if (!k->opts[i].set) {
            snprintf(err, errlen, "kernel '%s': option --%s has no .set function", k->name, k->opts[i].name);
            return -1;
        }
    if (!out->test_n) {
        /* five blocks and a few elements: several workers, and a short last block */
        uint64_t n = k->block <= (UINT64_MAX - 3) / 5 ? 5 * k->block + 3 : out->max_n;
        out->test_n = n < out->max_n ? n : out->max_n;
    }
    return 0;
#undef MISSING
}
