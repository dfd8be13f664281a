#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal of a given size, for the interactive tests.

Usage: pty_session.py ROWS COLS SIZEFILE -- COMMAND [ARGS...]

Bytes on our stdin are typed into the terminal; everything the terminal shows comes out on our
stdout. On SIGUSR1 the size is re-read from SIZEFILE ("ROWS COLS"), which makes the kernel send
SIGWINCH to the command. Exits with the command's exit status (128+N when killed by signal N).
"""
import fcntl
import os
import select
import signal
import struct
import sys
import termios


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def main():
    rows, cols, sizefile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    master, slave = os.openpty()
    # Sized before the command exists, so it never sees 0x0.
    set_size(master, rows, cols)
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        os.execvp(cmd[0], cmd)
    os.close(slave)

    def on_usr1(_signum, _frame):
        with open(sizefile) as f:
            r, c = f.read().split()
        set_size(master, int(r), int(c))

    signal.signal(signal.SIGUSR1, on_usr1)
    stdin_open = True
    while True:
        fds = [master] + ([0] if stdin_open else [])
        try:
            readable, _, _ = select.select(fds, [], [])
        except InterruptedError:
            continue
        if 0 in readable:
            data = os.read(0, 4096)
            if data:
                os.write(master, data)
            else:
                stdin_open = False
        if master in readable:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the last holder of the terminal closed it
                data = b""
            if not data:
                break
            os.write(1, data)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


main()
