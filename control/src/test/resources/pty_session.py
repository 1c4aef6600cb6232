#!/usr/bin/env python3
"""Drives a program in a pseudo-terminal as a user would: waits for text, types keys.

Usage: pty_session.py STEPS_JSON -- COMMAND...
STEPS_JSON is a list of ["expect", text] and ["send", keys] steps ("\t" is Tab, "\r" is Enter).
Prints the whole transcript; exits 0 when every expectation was met within 30 s each, 1 otherwise.
"""
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

steps = json.loads(sys.argv[1])
cmd = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
# A real terminal has a size; a fresh pty is 0x0, which makes line editors truncate the prompt.
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    os.environ["TERM"] = "xterm-256color"
    os.execvp(cmd[0], cmd)
seen = b""


def read_until(text, timeout=30.0):
    global seen
    deadline = time.time() + timeout
    want = text.encode()
    while time.time() < deadline:
        if want in seen:
            return True
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return want in seen
            if not data:
                return want in seen
            seen += data
    return want in seen


ok = True
for kind, arg in steps:
    if kind == "expect":
        if not read_until(arg):
            print("MISSING: %r" % arg)
            ok = False
            break
        # Later expectations look only at what came after this one.
        seen = seen[seen.index(arg.encode()) + len(arg.encode()):]
    else:
        os.write(fd, arg.encode())
try:
    os.kill(pid, signal.SIGTERM)
except ProcessLookupError:
    pass
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(0 if ok else 1)
