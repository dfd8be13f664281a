/* Small helpers: EINTR-safe I/O, atomic files, time formatting, Docker-compatible JSON escaping. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

ssize_t write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        done += (size_t)n;
    }
    return (ssize_t)done;
}

ssize_t read_retry(int fd, void *buf, size_t len)
{
    for (;;) {
        ssize_t n = read(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        return n;
    }
}

int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Writes dir/name via dir/.name.tmp + rename, so readers never see a half-written file. */
int write_file_atomic(const char *dir, const char *name, const char *data, size_t len)
{
    char tmp[4096], dst[4096];
    if (snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name) >= (int)sizeof tmp ||
        snprintf(dst, sizeof dst, "%s/%s", dir, name) >= (int)sizeof dst) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        errno = e;
        return -1;
    }
    close(fd);
    if (rename(tmp, dst) < 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

char *read_file_small(const char *path, size_t max, size_t *len_out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *b = malloc(max + 1);
    if (!b) {
        close(fd);
        return NULL;
    }
    size_t len = 0;
    while (len < max) {
        ssize_t n = read_retry(fd, b + len, max - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    b[len] = 0;
    if (len_out)
        *len_out = len;
    return b;
}

void format_time_rfc3339nano(char *out, size_t outlen, const struct timespec *ts)
{
    struct tm tm;
    gmtime_r(&ts->tv_sec, &tm);
    snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts->tv_nsec);
}

/* Diagnostics go to STATE_DIR/shim.log (stdio is /dev/null once detached). */
static char shim_log_path[4096];

void shim_log_init(const char *state_dir)
{
    snprintf(shim_log_path, sizeof shim_log_path, "%s/shim.log", state_dir);
}

void shim_log(const char *fmt, ...)
{
    if (!shim_log_path[0])
        return;
    char line[2048];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char t[64];
    format_time_rfc3339nano(t, sizeof t, &ts);
    int off = snprintf(line, sizeof line, "%s [%d] ", t, (int)getpid());
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line + off, sizeof line - (size_t)off - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)off + (n < 0 ? 0 : (size_t)n);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    int fd = open(shim_log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        write_all(fd, line, len);
        close(fd);
    }
}

int buf_append(struct buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

void buf_consume(struct buf *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid (Go's utf8.DecodeRune rules:
 * no overlongs, no surrogates, nothing above U+10FFFF). *cp receives the code point. */
static size_t utf8_valid_len(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return need;
}

/* Appends s as a quoted JSON string escaped the way Docker's json-file driver does it:
 * \" \\ \n \r, other control chars and < > & as \u00XX, U+2028/2029 escaped, and each byte of
 * invalid UTF-8 replaced by \ufffd (so the file is always valid UTF-8 JSON). */
void json_escape(struct buf *out, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_append(out, "\"", 1);
    size_t start = 0, i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) {
            if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&') {
                i++;
                continue;
            }
            if (start < i)
                buf_append(out, s + start, i - start);
            char esc[6];
            switch (b) {
            case '\\':
            case '"':
                esc[0] = '\\';
                esc[1] = (char)b;
                buf_append(out, esc, 2);
                break;
            case '\n':
                buf_append(out, "\\n", 2);
                break;
            case '\r':
                buf_append(out, "\\r", 2);
                break;
            default:
                esc[0] = '\\';
                esc[1] = 'u';
                esc[2] = '0';
                esc[3] = '0';
                esc[4] = hex[b >> 4];
                esc[5] = hex[b & 0xF];
                buf_append(out, esc, 6);
            }
            i++;
            start = i;
            continue;
        }
        uint32_t cp;
        size_t l = utf8_valid_len(s + i, n - i, &cp);
        if (l == 0) {
            if (start < i)
                buf_append(out, s + start, i - start);
            buf_append(out, "\\ufffd", 6);
            i++;
            start = i;
            continue;
        }
        if (cp == 0x2028 || cp == 0x2029) {
            if (start < i)
                buf_append(out, s + start, i - start);
            buf_append(out, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
            i += l;
            start = i;
            continue;
        }
        i += l;
    }
    if (start < n)
        buf_append(out, s + start, n - start);
    buf_append(out, "\"", 1);
}
