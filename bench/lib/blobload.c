/*
 * blobload: HTTP/1.1 GET load generator for bench/registry.sh.
 *
 * Keeps C keep-alive connections to one 127.0.0.1 port busy with GETs of one path for S
 * seconds, one request in flight per connection (no pipelining), all from one epoll thread.
 * Response bodies are consumed with recv(..., MSG_TRUNC) (tcp(7): the kernel discards the
 * bytes without copying them to user space), so the client's cost per byte is the kernel's
 * TCP receive path only and the server under test is what gets measured. `-V FILE` instead
 * copies every body into user space and compares it with FILE (used once before the timed
 * run to show that the server sends the right bytes and that the framing is read correctly);
 * `-k` copies bodies into user space without comparing them (what `ab` does, for comparison).
 *
 * Every response is checked: the status line must be "HTTP/1.x <status>" (default 200), it
 * must carry a Content-Length (equal to -l LEN when given) and no Transfer-Encoding, and the
 * server must not ask to close the connection. The next response's status line is parsed
 * exactly where the previous body ended, so a miscounted body shows up as an error. Any error
 * ends the run with exit status 1.
 *
 * Output (one line, key=value): requests (complete responses), bytes (body bytes received,
 * including partial bodies at the deadline), errors, secs, req_per_s, mb_per_s (10^6 B/s),
 * client_cpu_s (user+sys of this process).
 *
 * Usage: blobload -p PORT -u PATH [-c CONNS] [-t SECS] [-H "Name: value"]... [-l LEN]
 *                 [-s STATUS] [-n MAXREQ] [-V FILE] [-k] [-w LOWAT]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HDR_MAX 16384
#define MAX_CONNS 1024

enum state { SENDING, HEADERS, BODY };

struct conn {
    int fd;
    enum state st;
    size_t sent;             /* bytes of the request sent */
    char hdr[HDR_MAX];       /* response head being read */
    size_t hlen;
    long long remaining;     /* body bytes still to come */
    long long body_off;      /* position in the body (for -V) */
    int lowat;               /* SO_RCVLOWAT now set on fd */
};

static char request[8192];
static size_t request_len;
static int port;
static long long want_len = -1;
static int want_status = 200;
static const unsigned char *verify_map;
static int copy_mode; /* -k: copy bodies to user space (what ab does), no compare */
static int body_lowat = 1; /* -w: SO_RCVLOWAT while in a body (wake up once per this many bytes) */
static long long verify_size;
static long long requests, bytes, errors, max_requests = -1, started_requests;
static char scratch[1 << 20]; /* -V: bodies are copied here and compared */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(struct conn *c, const char *what)
{
    (void)c;
    fprintf(stderr, "blobload: %s\n", what);
    errors++;
}

static int open_conn(struct conn *c, int ep)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("blobload: connect");
        return -1;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
        perror("blobload: epoll_ctl");
        return -1;
    }
    c->st = SENDING;
    c->sent = 0;
    c->lowat = 1;
    started_requests++;
    return 0;
}

/* Parses c->hdr[0..end) (a complete head). Returns 0 or -1 on a bad response. */
static int parse_head(struct conn *c, size_t end)
{
    char *h = c->hdr;
    h[end - 2] = '\0'; /* cut at the blank line: the head ends "\r\n\r\n" */
    int status = 0;
    if (strncmp(h, "HTTP/1.", 7) != 0 || sscanf(h + 9, "%3d", &status) != 1 || h[8] != ' ') {
        fail(c, "bad status line");
        return -1;
    }
    if (status != want_status) {
        char msg[128];
        snprintf(msg, sizeof msg, "status %d, want %d", status, want_status);
        fail(c, msg);
        return -1;
    }
    long long len = -1;
    for (char *line = strstr(h, "\r\n"); line; line = strstr(line, "\r\n")) {
        line += 2;
        if (strncasecmp(line, "Content-Length:", 15) == 0) {
            char *e;
            len = strtoll(line + 15, &e, 10);
        } else if (strncasecmp(line, "Transfer-Encoding:", 18) == 0) {
            fail(c, "Transfer-Encoding in response (want Content-Length)");
            return -1;
        } else if (strncasecmp(line, "Connection:", 11) == 0 && strcasestr(line, "close")) {
            fail(c, "server closes the connection");
            return -1;
        }
    }
    if (len < 0) {
        fail(c, "no Content-Length");
        return -1;
    }
    if (want_len >= 0 && len != want_len) {
        char msg[128];
        snprintf(msg, sizeof msg, "Content-Length %lld, want %lld", len, want_len);
        fail(c, msg);
        return -1;
    }
    if (verify_map && len != verify_size) {
        fail(c, "Content-Length differs from the size of the -V file");
        return -1;
    }
    c->remaining = len;
    c->body_off = 0;
    return 0;
}

static int body_bytes(struct conn *c, const char *p, long long n)
{
    if (verify_map && p && memcmp(p, verify_map + c->body_off, (size_t)n) != 0) {
        fail(c, "body differs from the -V file");
        return -1;
    }
    c->body_off += n;
    c->remaining -= n;
    bytes += n;
    return 0;
}

/* The kernel wakes the client when at least `v` bytes are queued on the socket. */
static void set_lowat(struct conn *c, long long v)
{
    int want = v < 1 ? 1 : v > body_lowat ? body_lowat : (int)v;
    if (want != c->lowat && setsockopt(c->fd, SOL_SOCKET, SO_RCVLOWAT, &want, sizeof want) == 0) {
        c->lowat = want;
    }
}

static int next_request(struct conn *c)
{
    requests++;
    if (max_requests >= 0 && started_requests >= max_requests) {
        return 1; /* done with this connection */
    }
    started_requests++;
    c->st = SENDING;
    c->sent = 0;
    return 0;
}

/* Drives one connection as far as it goes without blocking. Returns 1 when the connection
 * is finished (-n reached), -1 on error, 0 to wait for the next event. */
static int drive(struct conn *c)
{
    for (;;) {
        if (c->st == SENDING) {
            ssize_t n = send(c->fd, request + c->sent, request_len - c->sent, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EAGAIN) return 0;
                perror("blobload: send");
                errors++;
                return -1;
            }
            c->sent += (size_t)n;
            if (c->sent == request_len) {
                c->st = HEADERS;
                c->hlen = 0;
            }
        } else if (c->st == HEADERS) {
            set_lowat(c, 1);
            ssize_t n = recv(c->fd, c->hdr + c->hlen, HDR_MAX - 1 - c->hlen, 0);
            if (n <= 0) {
                if (n < 0 && errno == EAGAIN) return 0;
                fail(c, n == 0 ? "connection closed by the server" : "recv failed");
                return -1;
            }
            c->hlen += (size_t)n;
            c->hdr[c->hlen] = '\0';
            char *e = strstr(c->hdr, "\r\n\r\n");
            if (!e) {
                if (c->hlen >= HDR_MAX - 1) {
                    fail(c, "response head too large");
                    return -1;
                }
                continue;
            }
            size_t end = (size_t)(e - c->hdr) + 4;
            long long extra = (long long)(c->hlen - end);
            char save[HDR_MAX];
            memcpy(save, c->hdr + end, (size_t)extra);
            if (parse_head(c, end) < 0) return -1;
            if (extra > c->remaining) {
                fail(c, "more bytes than Content-Length (pipelined or miscounted)");
                return -1;
            }
            if (body_bytes(c, save, extra) < 0) return -1;
            c->st = BODY;
        }
        if (c->st == BODY) {
            if (c->remaining == 0) {
                int r = next_request(c);
                if (r) return r;
                continue;
            }
            set_lowat(c, c->remaining);
            ssize_t n;
            if (verify_map || copy_mode) {
                size_t want = c->remaining < (long long)sizeof scratch ? (size_t)c->remaining : sizeof scratch;
                n = recv(c->fd, scratch, want, 0);
            } else {
                /* Never more than this body: the next response must not be eaten. */
                size_t want = c->remaining < (1LL << 30) ? (size_t)c->remaining : (1u << 30);
                n = recv(c->fd, NULL, want, MSG_TRUNC);
            }
            if (n <= 0) {
                if (n < 0 && errno == EAGAIN) return 0;
                fail(c, n == 0 ? "connection closed in a body" : "recv failed in a body");
                return -1;
            }
            if (n > c->remaining) {
                fail(c, "recv returned more than asked for");
                return -1;
            }
            if (body_bytes(c, verify_map ? scratch : NULL, n) < 0) return -1;
        }
    }
}

int main(int argc, char **argv)
{
    int conns = 16;
    double secs = 5;
    const char *path = NULL, *vfile = NULL;
    char headers[4096] = "";
    int opt;
    while ((opt = getopt(argc, argv, "p:u:c:t:H:l:s:n:V:kw:")) != -1) {
        switch (opt) {
        case 'p': port = atoi(optarg); break;
        case 'u': path = optarg; break;
        case 'c': conns = atoi(optarg); break;
        case 't': secs = atof(optarg); break;
        case 'H':
            if (strlen(headers) + strlen(optarg) + 3 >= sizeof headers) return 2;
            strcat(headers, optarg);
            strcat(headers, "\r\n");
            break;
        case 'l': want_len = atoll(optarg); break;
        case 's': want_status = atoi(optarg); break;
        case 'n': max_requests = atoll(optarg); break;
        case 'V': vfile = optarg; break;
        case 'k': copy_mode = 1; break;
        case 'w': body_lowat = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: blobload -p PORT -u PATH [-c CONNS] [-t SECS] [-H HDR]... [-l LEN] [-s STATUS] [-n MAXREQ] [-V FILE] [-k] [-w LOWAT]\n");
            return 2;
        }
    }
    if (!port || !path || conns < 1 || conns > MAX_CONNS || secs <= 0) {
        fprintf(stderr, "blobload: need -p PORT -u PATH, 1..%d connections, -t > 0\n", MAX_CONNS);
        return 2;
    }
    if (vfile) {
        int fd = open(vfile, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0) {
            perror("blobload: -V");
            return 2;
        }
        verify_size = st.st_size;
        verify_map = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : (void *)"";
        if (verify_map == MAP_FAILED) {
            perror("blobload: mmap");
            return 2;
        }
        close(fd);
    }
    request_len = (size_t)snprintf(request, sizeof request,
                                   "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: blobload\r\n%s\r\n",
                                   path, port, headers);
    if (request_len >= sizeof request) return 2;

    int ep = epoll_create1(EPOLL_CLOEXEC);
    static struct conn cs[MAX_CONNS];
    int live = 0;
    double t0 = now(), deadline = t0 + secs;
    for (int i = 0; i < conns; i++) {
        if (max_requests >= 0 && started_requests >= max_requests) break;
        if (open_conn(&cs[i], ep) < 0) return 1;
        live++;
    }
    struct epoll_event evs[MAX_CONNS];
    while (live > 0 && errors == 0) {
        double left = deadline - now();
        if (left <= 0) break;
        int n = epoll_wait(ep, evs, MAX_CONNS, (int)(left * 1000) + 1);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("blobload: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c->fd < 0) continue;
            int r = drive(c);
            if (r != 0) {
                close(c->fd);
                c->fd = -1;
                live--;
                if (r < 0) break;
            }
        }
    }
    double t = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    printf("requests=%lld bytes=%lld errors=%lld secs=%.3f req_per_s=%.1f mb_per_s=%.1f client_cpu_s=%.3f\n",
           requests, bytes, errors, t, requests / t, bytes / t / 1e6, cpu);
    return errors ? 1 : 0;
}
