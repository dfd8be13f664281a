/* wharf-shim: the per-container monitor. Detaches, runs `runtime create`, holds the container's
 * stdio, writes the json-file log, serves attach.sock, reaps init and records how it exited.
 * With --exec it monitors one exec process instead: `runtime exec --detach` runs when a client
 * sends `start`, so attached clients see all of its output.
 * The contract (arguments, state-dir files, socket protocol) is in README.md. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNTIME_ARGS 16
#define CLIENT_OUT_MAX (1024 * 1024) /* a client further behind than this is dropped */
#define STDIN_BUF_MAX (256 * 1024)   /* clients stop being read while this much stdin is queued */
#define DRAIN_MS 2000                /* after init exits, wait at most this long for EOF on output */
#define CLIENT_FLUSH_MS 1000         /* at exit, time given to clients to take queued output */
#define HDR_MAX 512
#define EXEC_START_MS 60000          /* an exec shim nobody starts within this time gives up */

static struct {
    const char *id, *bundle, *runtime, *runtime_root, *state_dir, *log_path, *cgroup_path, *process;
    const char *runtime_args[MAX_RUNTIME_ARGS];
    int n_runtime_args;
    int tty, stdin_open, exec_mode, cgroup_v1_view;
    long long log_max_size;
    int log_max_files;
} opt = {.runtime = "/usr/sbin/runc", .log_max_size = 10LL * 1024 * 1024, .log_max_files = 3};

static int report_fd = -1;

/* ---------- reporting to the starter ---------- */

static void report(int ok, const char *json)
{
    if (report_fd < 0)
        return;
    char c = ok ? '0' : '1';
    write_all(report_fd, &c, 1);
    write_all(report_fd, json, strlen(json));
    close(report_fd);
    report_fd = -1;
}

static void report_error(const char *msg)
{
    struct buf b = {0};
    buf_append(&b, "{\"error\":", 9);
    json_escape(&b, (const unsigned char *)msg, strlen(msg));
    buf_append(&b, "}\n", 3); /* includes NUL */
    shim_log("create failed: %s", msg);
    if (opt.state_dir)
        write_file_atomic(opt.state_dir, "create-error", msg, strlen(msg));
    report(0, b.data);
    buf_free(&b);
}

static void usage(const char *why)
{
    fprintf(stderr,
            "wharf-shim: %s\n"
            "usage: wharf-shim --id ID --bundle DIR --runtime-root DIR --state-dir DIR\n"
            "       [--runtime PATH] [--runtime-arg ARG]... [--tty] [--stdin]\n"
            "       [--log PATH [--log-max-size BYTES] [--log-max-files N]] [--cgroup-path DIR]\n"
            "   or: wharf-shim --exec --process FILE --id ID --runtime-root DIR --state-dir DIR\n"
            "       [--runtime PATH] [--runtime-arg ARG]... [--tty] [--stdin]\n",
            why);
    printf("{\"error\":\"wharf-shim: bad arguments: %s\"}\n", why);
    exit(2);
}

static long long parse_size(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s)
        usage("bad size");
    switch (*end) {
    case 'k': case 'K': v *= 1024; end++; break;
    case 'm': case 'M': v *= 1024 * 1024; end++; break;
    case 'g': case 'G': v *= 1024LL * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end && strcmp(end, "b") && strcmp(end, "B"))
        usage("bad size suffix");
    return v;
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define NEEDARG() do { if (i + 1 >= argc) usage("missing value"); } while (0)
        if (!strcmp(a, "--tty")) opt.tty = 1;
        else if (!strcmp(a, "--stdin")) opt.stdin_open = 1;
        else if (!strcmp(a, "--exec")) opt.exec_mode = 1;
        else if (!strcmp(a, "--runtime-cgroup-v1-view")) opt.cgroup_v1_view = 1;
        else if (!strcmp(a, "--process")) { NEEDARG(); opt.process = argv[++i]; }
        else if (!strcmp(a, "--id")) { NEEDARG(); opt.id = argv[++i]; }
        else if (!strcmp(a, "--bundle")) { NEEDARG(); opt.bundle = argv[++i]; }
        else if (!strcmp(a, "--runtime")) { NEEDARG(); opt.runtime = argv[++i]; }
        else if (!strcmp(a, "--runtime-root")) { NEEDARG(); opt.runtime_root = argv[++i]; }
        else if (!strcmp(a, "--runtime-arg")) {
            NEEDARG();
            if (opt.n_runtime_args >= MAX_RUNTIME_ARGS) usage("too many --runtime-arg");
            opt.runtime_args[opt.n_runtime_args++] = argv[++i];
        }
        else if (!strcmp(a, "--state-dir")) { NEEDARG(); opt.state_dir = argv[++i]; }
        else if (!strcmp(a, "--log")) { NEEDARG(); opt.log_path = argv[++i]; }
        else if (!strcmp(a, "--log-max-size")) { NEEDARG(); opt.log_max_size = parse_size(argv[++i]); }
        else if (!strcmp(a, "--log-max-files")) { NEEDARG(); opt.log_max_files = (int)parse_size(argv[++i]); }
        else if (!strcmp(a, "--cgroup-path")) { NEEDARG(); opt.cgroup_path = argv[++i]; }
        else usage("unknown argument");
#undef NEEDARG
    }
    if (!opt.id || !*opt.id) usage("--id is required");
    if (opt.exec_mode) {
        if (!opt.process) usage("--process is required with --exec");
        if (opt.log_path) usage("--log is not supported with --exec");
    } else if (!opt.bundle) {
        usage("--bundle is required");
    }
    if (!opt.state_dir) usage("--state-dir is required");
    if (!opt.runtime_root) usage("--runtime-root is required");
    if (opt.log_max_files < 1) usage("--log-max-files must be >= 1");
}

/* Resolve to an absolute path: we chdir into the state dir after detaching. */
static const char *absolutize(const char *p, int must_exist)
{
    if (!p)
        return NULL;
    char *r = realpath(p, NULL);
    if (r)
        return r;
    if (must_exist || p[0] == '/')
        return p;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return p;
    size_t n = strlen(cwd) + strlen(p) + 2;
    char *s = malloc(n);
    snprintf(s, n, "%s/%s", cwd, p);
    return s;
}

/* ---------- OOM accounting ---------- */

static char oom_file[2 * PATH_MAX + 64]; /* memory.oom_control (v1) or memory.events (v2) */
static long long oom_baseline = -1;

static long long read_oom_kill(void)
{
    if (!oom_file[0])
        return -1;
    char *s = read_file_small(oom_file, 4096, NULL);
    if (!s)
        return -1;
    long long v = -1;
    for (char *line = s; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (!strncmp(line, "oom_kill ", 9))
            v = strtoll(line + 9, NULL, 10);
        line = nl ? nl + 1 : NULL;
    }
    free(s);
    return v;
}

static int has_token(const char *list, const char *tok)
{
    size_t tl = strlen(tok);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == tl && !strncmp(p, tok, tl))
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

/* Mount point of the v1 memory hierarchy (want_v2 = 0) or of cgroup2 (want_v2 = 1). */
static int find_cgroup_mount(int want_v2, char *out, size_t outlen)
{
    char *s = read_file_small("/proc/self/mountinfo", 1 << 20, NULL);
    if (!s)
        return -1;
    int found = -1;
    for (char *line = s; line && *line && found < 0;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char *f[12] = {0};
        int nf = 0;
        for (char *tok = strtok(line, " "); tok && nf < 12; tok = strtok(NULL, " "))
            f[nf++] = tok;
        int dash = -1;
        for (int i = 6; i < nf; i++)
            if (!strcmp(f[i], "-")) { dash = i; break; }
        if (dash > 0 && dash + 3 < nf + 1 && f[dash + 1]) {
            const char *fstype = f[dash + 1], *super = dash + 3 < nf ? f[dash + 3] : "";
            if ((want_v2 && !strcmp(fstype, "cgroup2")) ||
                (!want_v2 && !strcmp(fstype, "cgroup") && has_token(super, "memory"))) {
                snprintf(out, outlen, "%s", f[4]);
                found = 0;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(s);
    return found;
}

static void setup_oom(int init_pid)
{
    if (opt.cgroup_path) {
        snprintf(oom_file, sizeof oom_file, "%s/memory.oom_control", opt.cgroup_path);
        if (access(oom_file, R_OK) != 0)
            snprintf(oom_file, sizeof oom_file, "%s/memory.events", opt.cgroup_path);
    } else {
        char p[64];
        snprintf(p, sizeof p, "/proc/%d/cgroup", init_pid);
        char *s = read_file_small(p, 65536, NULL);
        if (!s)
            return;
        char v1[PATH_MAX] = "", v2[PATH_MAX] = "";
        for (char *line = s; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = 0;
            char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
            if (c2) {
                *c2 = 0;
                if (has_token(c1 + 1, "memory"))
                    snprintf(v1, sizeof v1, "%s", c2 + 1);
                else if (!strcmp(line, "0") && c1[1] == 0)
                    snprintf(v2, sizeof v2, "%s", c2 + 1);
            }
            line = nl ? nl + 1 : NULL;
        }
        free(s);
        char mnt[PATH_MAX];
        if (v1[0] && find_cgroup_mount(0, mnt, sizeof mnt) == 0)
            snprintf(oom_file, sizeof oom_file, "%s%s/memory.oom_control", mnt, v1);
        else if (v2[0] && find_cgroup_mount(1, mnt, sizeof mnt) == 0)
            snprintf(oom_file, sizeof oom_file, "%s%s/memory.events", mnt, v2);
    }
    oom_baseline = read_oom_kill();
    if (oom_baseline < 0) {
        shim_log("no oom_kill counter at %s; OOM kills will not be detected", oom_file);
        oom_file[0] = 0;
    }
}

/* ---------- runtime invocation ---------- */

static sigset_t handled_sigs;

static pid_t spawn(const char *const argv[], int in, int out, int err)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* Child: undo the shim's signal setup so the runtime (and the container) start clean. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    if (in != 0) dup2(in, 0);
    if (out != 1) dup2(out, 1);
    if (err != 2) dup2(err, 2);
    /* dup2 clears FD_CLOEXEC on the target; when in == 0 etc. it stays as opened (no CLOEXEC). */
    if (opt.cgroup_v1_view) {
        char why[256];
        if (enter_cgroup_v1_view(why, sizeof why) < 0) {
            dprintf(2, "wharf-shim: %s\n", why);
            _exit(127);
        }
    }
    execv(argv[0], (char *const *)argv);
    dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int wait_pid(pid_t pid)
{
    int st;
    for (;;) {
        pid_t r = waitpid(pid, &st, 0);
        if (r == pid)
            return st;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

static void runtime_delete_force(void)
{
    const char *argv[8 + MAX_RUNTIME_ARGS];
    int n = 0;
    argv[n++] = opt.runtime;
    argv[n++] = "--root";
    argv[n++] = opt.runtime_root;
    for (int i = 0; i < opt.n_runtime_args; i++)
        argv[n++] = opt.runtime_args[i];
    argv[n++] = "delete";
    argv[n++] = "-f";
    argv[n++] = opt.id;
    argv[n] = NULL;
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    pid_t p = spawn(argv, devnull, devnull, devnull);
    if (p > 0)
        wait_pid(p);
    close(devnull);
}

/* The runtime's error: the last error-level "msg" in its JSON log, else what it printed. */
static char *runtime_error_text(const char *logfile, int errfd, int st, const char *verb)
{
    char *msg = NULL;
    char *s = read_file_small(logfile, 1 << 20, NULL);
    if (s) {
        for (char *line = s; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = 0;
            char *m = strstr(line, "\"msg\":\"");
            if (strstr(line, "\"level\":\"error\"") && m) {
                m += 7;
                /* unescape the JSON string (enough for runc's messages) */
                char *o = malloc(strlen(m) + 1), *w = o;
                for (char *r = m; *r && *r != '"'; r++) {
                    if (*r == '\\' && r[1]) {
                        r++;
                        *w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
                    } else {
                        *w++ = *r;
                    }
                }
                *w = 0;
                free(msg);
                msg = o;
            }
            line = nl ? nl + 1 : NULL;
        }
        free(s);
    }
    if (msg)
        return msg;
    struct buf b = {0};
    if (errfd >= 0) {
        char tmp[4096];
        ssize_t n;
        set_nonblock(errfd);
        while (b.len < 65536 && (n = read_retry(errfd, tmp, sizeof tmp)) > 0)
            buf_append(&b, tmp, (size_t)n);
    }
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
        b.len--;
    if (!b.len) {
        char t[128];
        if (WIFEXITED(st))
            snprintf(t, sizeof t, "%s %s exited with status %d", opt.runtime, verb, WEXITSTATUS(st));
        else
            snprintf(t, sizeof t, "%s %s killed by signal %d", opt.runtime, verb, WTERMSIG(st));
        buf_append(&b, t, strlen(t));
    }
    buf_append(&b, "", 1);
    return b.data;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 64) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int recv_fd(int sock)
{
    char name[256];
    struct iovec iov = {name, sizeof name};
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int) * 4)];
    } cm;
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.b, .msg_controllen = sizeof cm.b};
    ssize_t n;
    do
        n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    int fd = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int nfd = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            int *fds = (int *)CMSG_DATA(c);
            for (int i = 0; i < nfd; i++) {
                if (fd < 0)
                    fd = fds[i];
                else
                    close(fds[i]);
            }
        }
    }
    if (fd < 0)
        errno = EPROTO;
    return fd;
}

/* ---------- live state ---------- */

enum { C_HEADER, C_ACTIVE };
#define W_STDIN 1
#define W_STDOUT 2
#define W_STDERR 4
#define W_STDIN_ONCE 8

struct client {
    int fd;
    int state;
    int want;
    int rd_eof;
    size_t hlen;
    char hdr[HDR_MAX];
    struct buf out;
};

static struct client **clients;
static int n_clients, cap_clients;
static int listen_fd = -1, sig_fd = -1;
static int out_fd[2] = {-1, -1}; /* stdout, stderr read ends; with tty out_fd[0] is the master */
static int in_fd = -1;            /* container stdin write end; with tty the master (dup) */
static int master_fd = -1;
static struct buf inbuf;
static int in_close_pending;
static struct jsonlog *jlog;
static pid_t init_pid;
/* Exec mode: waiting for `start`, started, or the runtime refused it. */
enum { EXEC_NONE, EXEC_WAITING, EXEC_STARTED, EXEC_FAILED };
static int exec_state = EXEC_NONE;
static int init_exited, init_status;
static struct timespec exited_at;
static char readbuf[32768];

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void stdin_close_container(void);
static char *exec_start(void);
static const char *setup_stdio_fds(void);

static void client_drop(int idx)
{
    struct client *c = clients[idx];
    /* A stdin-once client that goes away without a half-close still ends the container's stdin. */
    if (c->state == C_ACTIVE && !c->rd_eof && (c->want & (W_STDIN | W_STDIN_ONCE)) == (W_STDIN | W_STDIN_ONCE))
        stdin_close_container();
    close(c->fd);
    buf_free(&c->out);
    free(c);
    clients[idx] = clients[--n_clients];
}

/* Try to write queued output; returns -1 when the client must be dropped. */
static int client_flush(struct client *c)
{
    while (c->out.len) {
        ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            return -1;
        }
        buf_consume(&c->out, (size_t)n);
    }
    if (c->out.cap > 65536) /* give memory back once a burst is delivered */
        buf_free(&c->out);
    return 0;
}

static void broadcast(int stream, const char *data, size_t n)
{
    int bit = stream == STREAM_STDERR ? W_STDERR : W_STDOUT;
    for (int i = 0; i < n_clients; i++) {
        struct client *c = clients[i];
        if (c->state != C_ACTIVE || !(c->want & bit))
            continue;
        int fail = 0;
        if (!opt.tty) {
            unsigned char h[8] = {(unsigned char)stream, 0, 0, 0, (unsigned char)(n >> 24),
                                  (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
            fail |= buf_append(&c->out, h, 8);
        }
        fail |= buf_append(&c->out, data, n);
        if (fail || client_flush(c) < 0 || c->out.len > CLIENT_OUT_MAX) {
            shim_log("dropping attach client fd %d (%s)", c->fd, fail ? "oom" : "slow or gone");
            client_drop(i);
            i--;
        }
    }
}

static void stdin_queue(const char *data, size_t n)
{
    if (in_fd < 0 || in_close_pending)
        return;
    buf_append(&inbuf, data, n);
}

static void stdin_close_container(void)
{
    if (in_fd < 0)
        return;
    if (opt.tty) {
        /* A pty has no half-close: send the EOF character, as a terminal user would. */
        stdin_queue("\x04", 1);
        return;
    }
    in_close_pending = 1;
}

static void stdin_flush(void)
{
    while (in_fd >= 0 && inbuf.len) {
        ssize_t n = write(in_fd, inbuf.data, inbuf.len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            /* EPIPE: nobody reads stdin any more; discard. */
            inbuf.len = 0;
            if (!opt.tty) {
                close(in_fd);
                in_fd = -1;
            }
            return;
        }
        buf_consume(&inbuf, (size_t)n);
    }
    if (!inbuf.len && inbuf.cap > 65536)
        buf_free(&inbuf);
    if (in_close_pending && !inbuf.len && in_fd >= 0 && !opt.tty) {
        close(in_fd);
        in_fd = -1;
    }
}

static void client_reply_close(int idx, const char *msg)
{
    struct client *c = clients[idx];
    send(c->fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
    client_drop(idx);
}

/* Header line: "attach [stdin] [stdout] [stderr] [stdin-once]" or "resize ROWS COLS". */
static void client_header(int idx, char *line, const char *rest, size_t restlen)
{
    struct client *c = clients[idx];
    char *save = NULL, *verb = strtok_r(line, " \t\r", &save);
    if (verb && !strcmp(verb, "resize")) {
        char *r = strtok_r(NULL, " \t\r", &save), *co = strtok_r(NULL, " \t\r", &save);
        long rows = r ? strtol(r, NULL, 10) : -1, cols = co ? strtol(co, NULL, 10) : -1;
        if (!opt.tty || master_fd < 0)
            return client_reply_close(idx, "error container has no tty\n");
        if (rows <= 0 || cols <= 0 || rows > 65535 || cols > 65535)
            return client_reply_close(idx, "error bad size\n");
        struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
        if (ioctl(master_fd, TIOCSWINSZ, &ws) < 0) {
            char m[128];
            snprintf(m, sizeof m, "error %s\n", strerror(errno));
            return client_reply_close(idx, m);
        }
        return client_reply_close(idx, "ok\n");
    }
    if (verb && !strcmp(verb, "kill")) {
        char *sg = strtok_r(NULL, " \t\r", &save);
        long sig = sg ? strtol(sg, NULL, 10) : -1;
        if (sig <= 0 || sig >= 65)
            return client_reply_close(idx, "error bad signal\n");
        /* init_pid is ours to reap, so while it is not reaped it cannot be a recycled pid. */
        if (init_pid <= 0 || init_exited)
            return client_reply_close(idx, "error process is not running\n");
        if (kill(init_pid, (int)sig) < 0) {
            char m[128];
            snprintf(m, sizeof m, "error %s\n", strerror(errno));
            return client_reply_close(idx, m);
        }
        return client_reply_close(idx, "ok\n");
    }
    if (verb && !strcmp(verb, "start")) {
        if (exec_state != EXEC_WAITING)
            return client_reply_close(idx, exec_state == EXEC_NONE ? "error not an exec shim\n" : "error already started\n");
        char *err = exec_start();
        struct buf b = {0};
        if (err) {
            buf_append(&b, "error ", 6);
            for (char *q = err; *q; q++) /* one line */
                buf_append(&b, *q == '\n' ? " " : q, 1);
            free(err);
        } else {
            char t[32];
            snprintf(t, sizeof t, "ok %d", (int)init_pid);
            buf_append(&b, t, strlen(t));
        }
        buf_append(&b, "\n", 2); /* includes NUL */
        client_reply_close(idx, b.data);
        buf_free(&b);
        return;
    }
    if (!verb || strcmp(verb, "attach"))
        return client_reply_close(idx, "error unknown request\n");
    for (char *t; (t = strtok_r(NULL, " \t\r", &save));) {
        if (!strcmp(t, "stdin")) c->want |= W_STDIN;
        else if (!strcmp(t, "stdout")) c->want |= W_STDOUT;
        else if (!strcmp(t, "stderr")) c->want |= W_STDERR;
        else if (!strcmp(t, "stdin-once")) c->want |= W_STDIN_ONCE;
        else if (!strcmp(t, "logs")) { /* replay is the daemon's job; accepted and ignored */ }
        else return client_reply_close(idx, "error unknown attach option\n");
    }
    if (opt.tty && (c->want & W_STDERR)) /* with a tty everything is stdout */
        c->want = (c->want & ~W_STDERR) | W_STDOUT;
    if ((c->want & W_STDIN) && !opt.stdin_open)
        return client_reply_close(idx, "error container was not created with --stdin\n");
    c->state = C_ACTIVE;
    buf_append(&c->out, "ok\n", 3);
    if (client_flush(c) < 0)
        return client_drop(idx);
    if (restlen && (c->want & W_STDIN))
        stdin_queue(rest, restlen);
}

/* Returns 1 when the client at idx was removed. */
static int client_read(int idx)
{
    struct client *c = clients[idx];
    char tmp[8192];
    ssize_t n = read_retry(c->fd, tmp, sizeof tmp);
    if (n < 0) {
        if (errno == EAGAIN)
            return 0;
        client_drop(idx);
        return 1;
    }
    if (n == 0) {
        if (c->state == C_HEADER) {
            client_drop(idx);
            return 1;
        }
        c->rd_eof = 1;
        if ((c->want & (W_STDIN | W_STDIN_ONCE)) == (W_STDIN | W_STDIN_ONCE))
            stdin_close_container();
        if (!(c->want & (W_STDOUT | W_STDERR))) {
            client_drop(idx);
            return 1;
        }
        return 0;
    }
    if (c->state == C_HEADER) {
        size_t take = (size_t)n;
        if (take > HDR_MAX - 1 - c->hlen)
            take = HDR_MAX - 1 - c->hlen;
        memcpy(c->hdr + c->hlen, tmp, take);
        size_t old = c->hlen;
        c->hlen += take;
        c->hdr[c->hlen] = 0;
        char *nl = memchr(c->hdr, '\n', c->hlen);
        if (!nl) {
            if (c->hlen >= HDR_MAX - 1) {
                client_reply_close(idx, "error header too long\n");
                return 1;
            }
            return 0;
        }
        *nl = 0;
        size_t used = (size_t)(nl - c->hdr) + 1 - old; /* bytes of tmp consumed by the header */
        int before = n_clients;
        client_header(idx, c->hdr, tmp + used, (size_t)n - used);
        return n_clients != before;
    }
    if (c->want & W_STDIN)
        stdin_queue(tmp, (size_t)n);
    return 0;
}

static void accept_clients(void)
{
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (n_clients == cap_clients) {
            int nc = cap_clients ? cap_clients * 2 : 8;
            struct client **p = realloc(clients, (size_t)nc * sizeof *p);
            if (!p) {
                close(fd);
                return;
            }
            clients = p;
            cap_clients = nc;
        }
        struct client *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            return;
        }
        c->fd = fd;
        clients[n_clients++] = c;
    }
}

static void reap(void)
{
    for (;;) {
        int st;
        pid_t p = waitpid(-1, &st, WNOHANG);
        if (p <= 0)
            return;
        if (p == init_pid && !init_exited) {
            init_exited = 1;
            init_status = st;
            clock_gettime(CLOCK_REALTIME, &exited_at);
        }
    }
}

static void read_output(int which)
{
    int fd = out_fd[which];
    ssize_t n = read_retry(fd, readbuf, sizeof readbuf);
    if (n < 0 && errno == EAGAIN)
        return;
    if (n <= 0) { /* EOF, or EIO from a pty master whose slave side is gone */
        if (jlog)
            jsonlog_flush_partial(jlog, which ? STREAM_STDERR : STREAM_STDOUT);
        close(fd);
        if (fd == master_fd) {
            master_fd = -1;
            if (in_fd == fd)
                in_fd = -1;
        }
        out_fd[which] = -1;
        return;
    }
    int stream = which ? STREAM_STDERR : STREAM_STDOUT;
    if (jlog)
        jsonlog_feed(jlog, stream, readbuf, (size_t)n);
    broadcast(stream, readbuf, (size_t)n);
}

static void write_exit_file(void)
{
    int code, sig = 0;
    if (!init_exited) {
        /* Only reachable if the event loop failed: say so rather than invent a clean exit. */
        shim_log("shim stopping before the container's init exited");
        clock_gettime(CLOCK_REALTIME, &exited_at);
        code = 255;
    } else if (WIFEXITED(init_status)) {
        code = WEXITSTATUS(init_status);
    } else if (WIFSIGNALED(init_status)) {
        sig = WTERMSIG(init_status);
        code = 128 + sig;
    } else {
        code = 255;
    }
    int oom = 0;
    if (oom_baseline >= 0) {
        long long v = read_oom_kill();
        oom = v > oom_baseline;
    }
    char t[64], json[256];
    format_time_rfc3339nano(t, sizeof t, &exited_at);
    int n;
    if (sig)
        n = snprintf(json, sizeof json, "{\"exitCode\":%d,\"exitedAt\":\"%s\",\"oomKilled\":%s,\"signal\":%d}\n",
                     code, t, oom ? "true" : "false", sig);
    else
        n = snprintf(json, sizeof json, "{\"exitCode\":%d,\"exitedAt\":\"%s\",\"oomKilled\":%s}\n", code, t,
                     oom ? "true" : "false");
    if (write_file_atomic(opt.state_dir, "exit", json, (size_t)n) < 0)
        shim_log("write exit: %s", strerror(errno));
}

static void main_loop(void)
{
    long long drain_deadline = -1;
    struct pollfd *pfd = NULL;
    int pfd_cap = 0;
    long long start_deadline = exec_state == EXEC_WAITING ? now_ms() + EXEC_START_MS : -1;
    for (;;) {
        if (exec_state == EXEC_FAILED)
            break;
        if (exec_state == EXEC_WAITING && now_ms() >= start_deadline) {
            exec_state = EXEC_FAILED;
            write_file_atomic(opt.state_dir, "start-error", "not started", 11);
            break;
        }
        if (init_exited) {
            if (drain_deadline < 0)
                drain_deadline = now_ms() + DRAIN_MS;
            if ((out_fd[0] < 0 && out_fd[1] < 0) || now_ms() >= drain_deadline)
                break;
        }
        int need = 6 + n_clients;
        if (need > pfd_cap) {
            pfd_cap = need * 2;
            pfd = realloc(pfd, (size_t)pfd_cap * sizeof *pfd);
            if (!pfd)
                abort();
        }
        int np = 0;
        int i_sig = np;
        pfd[np++] = (struct pollfd){sig_fd, POLLIN, 0};
        int i_listen = np;
        pfd[np++] = (struct pollfd){listen_fd, POLLIN, 0};
        int i_out0 = np;
        pfd[np++] = (struct pollfd){out_fd[0], POLLIN, 0};
        int i_out1 = np;
        pfd[np++] = (struct pollfd){out_fd[1], POLLIN, 0};
        int i_in = np;
        pfd[np++] = (struct pollfd){inbuf.len ? in_fd : -1, POLLOUT, 0};
        int i_cl = np;
        int read_clients = inbuf.len < STDIN_BUF_MAX;
        for (int i = 0; i < n_clients; i++) {
            struct client *c = clients[i];
            short ev = 0;
            if (c->state == C_HEADER || (!c->rd_eof && read_clients))
                ev |= POLLIN;
            if (c->out.len)
                ev |= POLLOUT;
            pfd[np++] = (struct pollfd){c->fd, ev, 0};
        }
        int timeout = jlog ? jsonlog_partial_timeout_ms(jlog) : -1;
        if (exec_state == EXEC_WAITING) {
            long long left = start_deadline - now_ms();
            if (left < 0)
                left = 0;
            if (timeout < 0 || left < timeout)
                timeout = (int)left;
        }
        if (drain_deadline >= 0) {
            long long left = drain_deadline - now_ms();
            if (left < 0)
                left = 0;
            if (timeout < 0 || left < timeout)
                timeout = (int)left;
        }
        int r = poll(pfd, (nfds_t)np, timeout);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            shim_log("poll: %s", strerror(errno));
            break;
        }
        if (pfd[i_sig].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sig_fd, &si, sizeof si) == sizeof si)
                if (si.ssi_signo != SIGCHLD)
                    shim_log("ignoring signal %u (the shim exits when the container does)", si.ssi_signo);
            reap();
        }
        if (pfd[i_out0].revents)
            read_output(0);
        if (pfd[i_out1].revents)
            read_output(1);
        /* Clients: iterate over the snapshot taken for poll; drops swap entries, so match by fd. */
        int n_polled = np - i_cl;
        for (int k = n_polled - 1; k >= 0; k--) {
            struct pollfd *p = &pfd[i_cl + k];
            if (!p->revents || k >= n_clients || clients[k]->fd != p->fd)
                continue;
            if (p->revents & POLLOUT) {
                if (client_flush(clients[k]) < 0) {
                    client_drop(k);
                    continue;
                }
            }
            if (p->revents & POLLIN)
                client_read(k);
            else if (p->revents & (POLLHUP | POLLERR)) /* peer fully gone; it cannot receive either */
                client_drop(k);
        }
        if (pfd[i_listen].revents & POLLIN)
            accept_clients();
        if (inbuf.len || in_close_pending)
            stdin_flush();
        (void)i_in;
        if (jlog && jsonlog_partial_timeout_ms(jlog) == 0)
            jsonlog_flush_partial(jlog, 0);
    }
    free(pfd);
}

static void finish(void)
{
    /* Drain whatever is still readable without blocking. */
    for (int w = 0; w < 2; w++)
        while (out_fd[w] >= 0) {
            int before = out_fd[w];
            ssize_t n = read_retry(out_fd[w], readbuf, sizeof readbuf);
            if (n < 0 && errno == EAGAIN)
                break;
            (void)before;
            if (n <= 0) {
                close(out_fd[w]);
                if (out_fd[w] == master_fd)
                    master_fd = -1;
                out_fd[w] = -1;
                break;
            }
            int stream = w ? STREAM_STDERR : STREAM_STDOUT;
            if (jlog)
                jsonlog_feed(jlog, stream, readbuf, (size_t)n);
            broadcast(stream, readbuf, (size_t)n);
        }
    if (jlog) {
        jsonlog_close(jlog);
        jlog = NULL;
    }
    /* An exec that never ran has no exit: `start-error` says why. */
    if (exec_state == EXEC_NONE || exec_state == EXEC_STARTED)
        write_exit_file();
    if (listen_fd >= 0) {
        close(listen_fd);
        listen_fd = -1;
        unlink("attach.sock");
    }
    /* Give attached clients a moment to take their queued output, then close them. */
    long long deadline = now_ms() + CLIENT_FLUSH_MS;
    for (;;) {
        int pending = 0;
        struct pollfd pfd[64];
        int np = 0;
        for (int i = 0; i < n_clients && np < 64; i++)
            if (clients[i]->out.len) {
                pfd[np++] = (struct pollfd){clients[i]->fd, POLLOUT, 0};
                pending = 1;
            }
        long long left = deadline - now_ms();
        if (!pending || left <= 0)
            break;
        if (poll(pfd, (nfds_t)np, (int)left) < 0 && errno != EINTR)
            break;
        for (int i = n_clients - 1; i >= 0; i--)
            if (clients[i]->out.len && client_flush(clients[i]) < 0)
                client_drop(i);
    }
    while (n_clients)
        client_drop(n_clients - 1);
}

/* ---------- setup ---------- */

/* The runtime's side of the stdio and the console socket, from setup_stdio until the runtime ran. */
static struct {
    int in, out, err, con_listen;
    char con_path[PATH_MAX + 64], con_tmpdir[64];
} rt = {-1, -1, -1, -1, "", ""};

/* Pipes (or, with --tty, a console socket) for the process; NULL or an error text. The read ends
 * are non-blocking from the start: an exec shim that is never started holds the write ends itself,
 * and finish() must not wait on them. */
static const char *setup_stdio(void)
{
    const char *err = setup_stdio_fds();
    for (int w = 0; w < 2; w++)
        if (out_fd[w] >= 0)
            set_nonblock(out_fd[w]);
    return err;
}

static const char *setup_stdio_fds(void)
{
    static char msg[PATH_MAX + 128];
    if (opt.tty) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
            return "pipe failed";
        out_fd[1] = p[0]; /* runtime's own output, for error text; not a process stream */
        rt.out = rt.err = p[1];
        rt.in = open("/dev/null", O_RDONLY | O_CLOEXEC);
        snprintf(rt.con_path, sizeof rt.con_path, "%s/console.sock", opt.state_dir);
        if (strlen(rt.con_path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
            strcpy(rt.con_tmpdir, "/tmp/wharf-shim-XXXXXX");
            if (!mkdtemp(rt.con_tmpdir))
                return "mkdtemp for console socket failed";
            snprintf(rt.con_path, sizeof rt.con_path, "%s/console.sock", rt.con_tmpdir);
        }
        rt.con_listen = listen_unix(rt.con_path);
        if (rt.con_listen < 0) {
            snprintf(msg, sizeof msg, "console socket %s: %s", rt.con_path, strerror(errno));
            return msg;
        }
        return NULL;
    }
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0)
        return "pipe failed";
    out_fd[0] = po[0];
    out_fd[1] = pe[0];
    rt.out = po[1];
    rt.err = pe[1];
    if (opt.stdin_open) {
        int pi[2];
        if (pipe2(pi, O_CLOEXEC) < 0)
            return "pipe failed";
        rt.in = pi[0];
        in_fd = pi[1];
    } else {
        rt.in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    return NULL;
}

static void close_console_socket(void)
{
    if (rt.con_listen >= 0) {
        close(rt.con_listen);
        rt.con_listen = -1;
        unlink(rt.con_path);
        if (rt.con_tmpdir[0])
            rmdir(rt.con_tmpdir);
    }
}

/* Runs `runtime create` (or `runtime exec --detach`) and takes the pty master. Returns NULL on
 * success, else a malloc'd error text. */
static char *run_runtime(void)
{
    const char *verb = opt.exec_mode ? "exec" : "create";
    char logfile[PATH_MAX + 64], pidfile[PATH_MAX + 64];
    snprintf(logfile, sizeof logfile, "%s/runc-%s.log", opt.state_dir, verb);
    snprintf(pidfile, sizeof pidfile, "%s/init.pid", opt.state_dir);
    const char *argv[24 + MAX_RUNTIME_ARGS];
    int n = 0;
    argv[n++] = opt.runtime;
    argv[n++] = "--root";
    argv[n++] = opt.runtime_root;
    argv[n++] = "--log";
    argv[n++] = logfile;
    argv[n++] = "--log-format";
    argv[n++] = "json";
    for (int i = 0; i < opt.n_runtime_args; i++)
        argv[n++] = opt.runtime_args[i];
    argv[n++] = verb;
    if (opt.exec_mode) {
        argv[n++] = "--detach";
        argv[n++] = "--process";
        argv[n++] = opt.process;
    } else {
        argv[n++] = "--bundle";
        argv[n++] = opt.bundle;
    }
    argv[n++] = "--pid-file";
    argv[n++] = pidfile;
    if (opt.tty) {
        argv[n++] = "--console-socket";
        argv[n++] = rt.con_path;
    }
    argv[n++] = opt.id;
    argv[n] = NULL;

    pid_t rp = spawn(argv, rt.in, rt.out, rt.err);
    if (rp < 0)
        return strdup("fork failed");
    close(rt.in);
    close(rt.out);
    if (rt.err != rt.out)
        close(rt.err);
    rt.in = rt.out = rt.err = -1;
    int rst = wait_pid(rp);

    int fail = !(rst != -1 && WIFEXITED(rst) && WEXITSTATUS(rst) == 0);
    if (!fail && opt.tty) {
        /* runc has connected and sent the master before exiting; it sits in the backlog. */
        int cs = accept4(rt.con_listen, NULL, NULL, SOCK_CLOEXEC);
        if (cs < 0) {
            shim_log("console socket accept: %s", strerror(errno));
            fail = 2;
        } else {
            master_fd = recv_fd(cs);
            close(cs);
            if (master_fd < 0) {
                shim_log("console socket recvmsg: %s", strerror(errno));
                fail = 2;
            }
        }
    }
    close_console_socket();
    if (fail)
        return fail == 2 ? strdup("did not receive the pty master from the runtime's console socket")
                         : runtime_error_text(logfile, out_fd[1], rst, verb);
    if (opt.tty) {
        close(out_fd[1]); /* runtime's error pipe: done with it */
        out_fd[1] = -1;
        out_fd[0] = master_fd;
        in_fd = opt.stdin_open ? master_fd : -1;
    }
    for (int w = 0; w < 2; w++)
        if (out_fd[w] >= 0)
            set_nonblock(out_fd[w]);
    if (in_fd >= 0)
        set_nonblock(in_fd);

    char *pids = read_file_small(pidfile, 64, NULL);
    init_pid = pids ? (pid_t)strtol(pids, NULL, 10) : 0;
    free(pids);
    if (init_pid <= 0)
        return strdup(opt.exec_mode ? "runtime did not write the exec process's pid file"
                                    : "runtime did not write the container's pid file");
    return NULL;
}

/* The `start` request of an exec shim: run the process now. Returns NULL or the error text. */
static char *exec_start(void)
{
    char *err = run_runtime();
    if (err) {
        exec_state = EXEC_FAILED;
        shim_log("exec failed: %s", err);
        write_file_atomic(opt.state_dir, "start-error", err, strlen(err));
        return err;
    }
    exec_state = EXEC_STARTED;
    return NULL;
}

static int run_shim(void)
{
    char path[PATH_MAX + 64];
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    shim_log_init(opt.state_dir);

    sigemptyset(&handled_sigs);
    sigaddset(&handled_sigs, SIGCHLD);
    sigaddset(&handled_sigs, SIGTERM);
    sigaddset(&handled_sigs, SIGINT);
    sigaddset(&handled_sigs, SIGHUP);
    sigaddset(&handled_sigs, SIGQUIT);
    sigprocmask(SIG_BLOCK, &handled_sigs, NULL);
    sig_fd = signalfd(-1, &handled_sigs, SFD_CLOEXEC | SFD_NONBLOCK);

    char pidbuf[32];
    int pl = snprintf(pidbuf, sizeof pidbuf, "%d\n", (int)getpid());
    write_file_atomic(opt.state_dir, "shim.pid", pidbuf, (size_t)pl);
    unlink("exit");
    unlink("create-error");
    unlink("start-error");
    unlink("init.pid");
    unlink("runc-create.log");
    unlink("runc-exec.log");

    const char *serr = setup_stdio();
    if (serr)
        return report_error(serr), 1;

    if (opt.exec_mode) {
        /* Nothing runs yet: clients attach first, then one of them sends `start`. */
        exec_state = EXEC_WAITING;
        listen_fd = listen_unix("attach.sock");
        if (listen_fd < 0) {
            snprintf(path, sizeof path, "attach.sock: %s", strerror(errno));
            report_error(path);
            return 1;
        }
        char ok[128];
        snprintf(ok, sizeof ok, "{\"shimPid\":%d,\"initPid\":0}\n", (int)getpid());
        report(1, ok);
        main_loop();
        finish();
        shim_log("exec %s; shim done", exec_state == EXEC_STARTED ? "exited" : "not run");
        return 0;
    }

    snprintf(path, sizeof path, "%s/%s", opt.runtime_root, opt.id);
    struct stat st;
    int existed = stat(path, &st) == 0;

    char *msg = run_runtime();
    if (msg) {
        if (stat(path, &st) == 0 && !existed)
            runtime_delete_force();
        report_error(msg);
        free(msg);
        return 1;
    }
    setup_oom(init_pid);

    if (opt.log_path) {
        jlog = jsonlog_open(opt.log_path, opt.log_max_size, opt.log_max_files);
        if (!jlog) {
            snprintf(path, sizeof path, "cannot open log file %s: %s", opt.log_path, strerror(errno));
            runtime_delete_force();
            report_error(path);
            return 1;
        }
    }
    listen_fd = listen_unix("attach.sock"); /* relative: cwd is the state dir; no 108-byte limit */
    if (listen_fd < 0) {
        snprintf(path, sizeof path, "attach.sock: %s", strerror(errno));
        runtime_delete_force();
        report_error(path);
        return 1;
    }

    char ok[128];
    snprintf(ok, sizeof ok, "{\"shimPid\":%d,\"initPid\":%d}\n", (int)getpid(), (int)init_pid);
    report(1, ok);

    main_loop();
    finish();
    shim_log("container exited; shim done");
    return 0;
}

static void close_inherited_fds(void)
{
    if (syscall(436 /* close_range */, 3U, ~0U, 0U) == 0)
        return;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
}

/* `wharf-shim --cgroup-v1-view-exec PATH ARGS...`: run one runtime command (the daemon's kill,
 * delete, update, ...) in the legacy cgroup view; stdio and exit status are the runtime's. */
static int cgroup_v1_view_exec(int argc, char **argv)
{
    char why[256];
    if (argc < 3)
        usage("--cgroup-v1-view-exec needs a program");
    if (enter_cgroup_v1_view(why, sizeof why) < 0) {
        fprintf(stderr, "wharf-shim: %s\n", why);
        return 127;
    }
    execv(argv[2], argv + 2);
    fprintf(stderr, "wharf-shim: exec %s: %s\n", argv[2], strerror(errno));
    return 127;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--cgroup-v1-view-exec"))
        return cgroup_v1_view_exec(argc, argv);
    signal(SIGPIPE, SIG_IGN);
    close_inherited_fds(); /* the caller's fds must neither leak into the container nor be held */
    parse_args(argc, argv);
    opt.state_dir = absolutize(opt.state_dir, 1);
    opt.bundle = absolutize(opt.bundle, 1);
    opt.runtime_root = absolutize(opt.runtime_root, 0);
    opt.log_path = absolutize(opt.log_path, 0);
    opt.cgroup_path = absolutize(opt.cgroup_path, 0);
    struct stat st;
    if (stat(opt.state_dir, &st) < 0 || !S_ISDIR(st.st_mode))
        usage("--state-dir must be an existing directory");

    int rp[2];
    if (pipe2(rp, O_CLOEXEC) < 0) {
        printf("{\"error\":\"pipe: %s\"}\n", strerror(errno));
        return 1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("{\"error\":\"fork: %s\"}\n", strerror(errno));
        return 1;
    }
    if (pid > 0) {
        /* Starter: wait for the detached shim's verdict and print it. */
        close(rp[1]);
        wait_pid(pid);
        struct buf b = {0};
        char tmp[4096];
        ssize_t n;
        while ((n = read_retry(rp[0], tmp, sizeof tmp)) > 0)
            buf_append(&b, tmp, (size_t)n);
        buf_append(&b, "", 1);
        if (b.len <= 1) {
            printf("{\"error\":\"wharf-shim exited before reporting\"}\n");
            return 1;
        }
        fputs(b.data + 1, stdout);
        return b.data[0] == '0' ? 0 : 1;
    }
    close(rp[0]);
    if (setsid() < 0)
        _exit(1);
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid > 0)
        _exit(0);
    report_fd = rp[1];
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        if (devnull > 2)
            close(devnull);
    }
    umask(022);
    if (chdir(opt.state_dir) < 0) {
        report_error("chdir to state dir failed");
        _exit(1);
    }
    _exit(run_shim());
}
