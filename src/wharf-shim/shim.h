/* wharf-shim: per-container monitor for Wharf. See README.md for the contract. */
#ifndef WHARF_SHIM_H
#define WHARF_SHIM_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define STREAM_STDOUT 1
#define STREAM_STDERR 2

/* util.c */
ssize_t write_all(int fd, const void *buf, size_t len);
ssize_t read_retry(int fd, void *buf, size_t len);
int write_file_atomic(const char *dir, const char *name, const char *data, size_t len);
char *read_file_small(const char *path, size_t max, size_t *len_out);
void format_time_rfc3339nano(char *out, size_t outlen, const struct timespec *ts);
void shim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void shim_log_init(const char *state_dir);
int set_nonblock(int fd);

/* strbuf: growable byte buffer */
struct buf {
    char *data;
    size_t len, cap;
};
int buf_append(struct buf *b, const void *p, size_t n);
void buf_consume(struct buf *b, size_t n);
void buf_free(struct buf *b);
void json_escape(struct buf *out, const unsigned char *s, size_t n);

/* cgroupview.c: in a new mount namespace, detach the hybrid layout's cgroup2 mount so the caller
 * (and what it execs) sees cgroup v1 only. 0, or -1 with a message in err. */
int enter_cgroup_v1_view(char *err, size_t errlen);

/* jsonlog.c */
struct jsonlog;
struct jsonlog *jsonlog_open(const char *path, long long max_size, int max_files);
/* Feed raw container output; complete lines become entries, partial data is held. */
void jsonlog_feed(struct jsonlog *l, int stream, const char *data, size_t n);
/* Flush held partial data of one stream (or both with stream 0) as entries without newline. */
void jsonlog_flush_partial(struct jsonlog *l, int stream);
/* Milliseconds until held partial data must be flushed, -1 when nothing is held. */
int jsonlog_partial_timeout_ms(struct jsonlog *l);
void jsonlog_close(struct jsonlog *l);

#endif
