#include "parkit/error.h"

#include <stdarg.h>
#include <stdio.h>

static void vmessage(const char *program, const char *what, const char *fmt, va_list ap)
{
    /* build the whole line first: one write, so lines from several ranks never interleave */
    char line[1024];
    int len = snprintf(line, sizeof line, "%s: %s: ", program ? program : "parkit", what);
    if (len < 0) return;
    if ((size_t)len < sizeof line) vsnprintf(line + len, sizeof line - (size_t)len, fmt, ap);
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
}

void pk_error(const char *program, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(program, "error", fmt, ap);
    va_end(ap);
}

void pk_warning(const char *program, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(program, "warning", fmt, ap);
    va_end(ap);
}
