#include "parkit/error.h"

#include <stdarg.h>
#include <stdio.h>

/* Copies s into out with every control character (newline, carriage return, escape, ...) and DEL
 * written as \n, \r or \xHH: a message quotes values from argv, the environment and files, and
 * a caller-chosen newline would otherwise print a second line of the caller's choosing. */
static void escaped(const char *s, char *out, size_t len)
{
    size_t j = 0;
    for (; *s && j + 5 < len; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n') j += (size_t)snprintf(out + j, len - j, "\\n");
        else if (c == '\r') j += (size_t)snprintf(out + j, len - j, "\\r");
        else if (c < 0x20 || c == 0x7f) j += (size_t)snprintf(out + j, len - j, "\\x%02x", c);
        else out[j++] = (char)c;
    }
    out[j] = '\0';
}

static void vmessage(const char *program, const char *what, const char *fmt, va_list ap)
{
    /* build the whole line first: one write, so lines from several ranks never interleave */
    char raw[1024], line[4200];
    int len = snprintf(raw, sizeof raw, "%s: %s: ", program ? program : "parkit", what);
    if (len < 0) return;
    if ((size_t)len < sizeof raw) vsnprintf(raw + len, sizeof raw - (size_t)len, fmt, ap);
    escaped(raw, line, sizeof line);
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

void pk_message(const char *program, const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(program, what, fmt, ap);
    va_end(ap);
}
