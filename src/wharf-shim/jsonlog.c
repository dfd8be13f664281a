/* Docker json-file log writer with size-based rotation.
 * Each entry: {"log":"...","stream":"stdout|stderr","time":"RFC3339Nano"}\n
 * Lines are split like Docker's copier: an entry per newline, and data without a newline is
 * emitted as its own entry (no trailing \n) when 16 KiB accumulate, when the stream ends, or
 * (Wharf addition) when it has waited PARTIAL_FLUSH_MS for the rest of its line. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES (16 * 1024)
#define PARTIAL_FLUSH_MS 1000

struct pending {
    size_t len;
    struct timespec since; /* when the first held byte arrived; the entry's time */
    char data[LINE_MAX_BYTES];
};

struct jsonlog {
    char *path;
    int fd;
    long long size;
    long long max_size; /* <= 0: never rotate */
    int max_files;
    struct pending p[2];
    struct buf scratch;
};

static void log_reopen(struct jsonlog *l)
{
    if (l->fd >= 0)
        close(l->fd);
    l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    l->size = 0;
    struct stat st;
    if (l->fd >= 0 && fstat(l->fd, &st) == 0)
        l->size = st.st_size;
    if (l->fd < 0)
        shim_log("open log %s: %s", l->path, strerror(errno));
}

struct jsonlog *jsonlog_open(const char *path, long long max_size, int max_files)
{
    struct jsonlog *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->path = strdup(path);
    l->fd = -1;
    l->max_size = max_size;
    l->max_files = max_files < 1 ? 1 : max_files;
    log_reopen(l);
    if (l->fd < 0) {
        free(l->path);
        free(l);
        return NULL;
    }
    return l;
}

static void rotate(struct jsonlog *l)
{
    if (l->max_files <= 1) {
        if (ftruncate(l->fd, 0) == 0)
            l->size = 0;
        return;
    }
    size_t plen = strlen(l->path) + 16;
    char *from = malloc(plen), *to = malloc(plen);
    if (!from || !to) {
        free(from);
        free(to);
        return;
    }
    for (int k = l->max_files - 1; k >= 2; k--) {
        snprintf(from, plen, "%s.%d", l->path, k - 1);
        snprintf(to, plen, "%s.%d", l->path, k);
        if (rename(from, to) < 0 && errno != ENOENT)
            shim_log("rotate %s -> %s: %s", from, to, strerror(errno));
    }
    snprintf(to, plen, "%s.1", l->path);
    if (rename(l->path, to) < 0)
        shim_log("rotate %s -> %s: %s", l->path, to, strerror(errno));
    free(from);
    free(to);
    log_reopen(l);
}

static void emit(struct jsonlog *l, int stream, const char *data, size_t n, const struct timespec *ts)
{
    if (n == 0)
        return;
    struct buf *b = &l->scratch;
    b->len = 0;
    buf_append(b, "{\"log\":", 7);
    json_escape(b, (const unsigned char *)data, n);
    if (stream == STREAM_STDERR)
        buf_append(b, ",\"stream\":\"stderr\",\"time\":\"", 27);
    else
        buf_append(b, ",\"stream\":\"stdout\",\"time\":\"", 27);
    char t[64];
    format_time_rfc3339nano(t, sizeof t, ts);
    buf_append(b, t, strlen(t));
    buf_append(b, "\"}\n", 3);
    if (l->max_size > 0 && l->size > 0 && l->size + (long long)b->len > l->max_size)
        rotate(l);
    if (l->fd < 0)
        return;
    if (write_all(l->fd, b->data, b->len) < 0) {
        /* Disk full or similar: drop the entry rather than stall the container. */
        struct stat st;
        if (fstat(l->fd, &st) == 0)
            l->size = st.st_size;
        return;
    }
    l->size += (long long)b->len;
    if (b->cap > 256 * 1024) /* do not keep a huge scratch buffer around while idle */
        buf_free(b);
}

/* Bytes at the end of p that start an incomplete (but so far valid) UTF-8 sequence; held back
 * when a 16 KiB partial entry is cut so that a character is not split across two entries. */
static size_t incomplete_utf8_tail(const char *p, size_t len)
{
    for (size_t k = 1; k <= 3 && k <= len; k++) {
        unsigned char c = (unsigned char)p[len - k];
        if ((c & 0xC0) == 0x80)
            continue;
        if (c < 0xC0)
            return 0;
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        return need > k ? k : 0;
    }
    return 0;
}

void jsonlog_feed(struct jsonlog *l, int stream, const char *data, size_t n)
{
    struct pending *p = &l->p[stream == STREAM_STDERR];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    while (n > 0) {
        if (p->len == 0)
            p->since = now;
        const char *nl = memchr(data, '\n', n);
        size_t seg = nl ? (size_t)(nl - data) + 1 : n;
        size_t space = LINE_MAX_BYTES - p->len;
        size_t take = seg < space ? seg : space;
        memcpy(p->data + p->len, data, take);
        p->len += take;
        data += take;
        n -= take;
        if (nl && take == seg) {
            emit(l, stream, p->data, p->len, &p->since);
            p->len = 0;
        } else if (p->len == LINE_MAX_BYTES) {
            size_t keep = incomplete_utf8_tail(p->data, p->len);
            emit(l, stream, p->data, p->len - keep, &p->since);
            memmove(p->data, p->data + p->len - keep, keep);
            p->len = keep;
            p->since = now;
        }
    }
}

void jsonlog_flush_partial(struct jsonlog *l, int stream)
{
    for (int i = 0; i < 2; i++) {
        int s = i ? STREAM_STDERR : STREAM_STDOUT;
        if (stream && stream != s)
            continue;
        struct pending *p = &l->p[i];
        if (p->len) {
            emit(l, s, p->data, p->len, &p->since);
            p->len = 0;
        }
    }
}

int jsonlog_partial_timeout_ms(struct jsonlog *l)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int best = -1;
    for (int i = 0; i < 2; i++) {
        struct pending *p = &l->p[i];
        if (!p->len)
            continue;
        long long age = (long long)(now.tv_sec - p->since.tv_sec) * 1000 +
                        (now.tv_nsec - p->since.tv_nsec) / 1000000;
        long long left = PARTIAL_FLUSH_MS - age;
        if (left < 0)
            left = 0;
        if (best < 0 || left < best)
            best = (int)left;
    }
    return best;
}

void jsonlog_close(struct jsonlog *l)
{
    if (!l)
        return;
    jsonlog_flush_partial(l, 0);
    if (l->fd >= 0) {
        fsync(l->fd);
        close(l->fd);
    }
    buf_free(&l->scratch);
    free(l->path);
    free(l);
}
