#!/usr/bin/env python3
"""Time from Enter to the next prompt for statements typed at an interactive prompt, in a
pseudo-terminal.

    bench/at_prompt.py [--statements 20] [--settle 2] [--prompt REGEX] [--trips-log FILE]
                       -- CMD ARGS...

Starts CMD on a new pty as first_prompt.py does (the same answers to terminal queries,
an empty HOME), waits for its prompt, then waits --settle seconds (a user does not type
at once; dbsh loads its completion catalog in the background meanwhile). Then, STATEMENTS
times: types `select 1000+I as n;`, waits for the line editor to echo it, presses Enter
and stops the clock when the result (1000+I, which the echoed line does not contain) and
after it the prompt have been printed. Ctrl-D ends the session.

Prints one line of JSON: {"median_ms", "min_ms", "max_ms", "runs", "samples_ms"}, and
with --trips-log (the file delay_proxy.py writes a line to per round trip) "trips": the
round trips each statement took, most first.
Exit code 1 if a prompt or result never appeared (the output seen is printed to stderr).
"""

import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time

from first_prompt import ANSI, QUERIES, env_for


class Session:
    """One client on a pty: what it printed (escapes removed), and waits on it."""

    def __init__(self, cmd, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            try:
                os.execvpe(cmd[0], cmd, env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.raw = b""

    def text(self, start=0):
        return ANSI.sub(b"", self.raw[start:]).replace(b"\r", b"\n").decode("utf-8", "replace")

    def wait(self, what, pred, timeout, start=0):
        """Read until pred(text since raw offset `start`) holds; the time it did."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not select.select([self.fd], [], [], 0.05)[0]:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"the client exited waiting for {what}:\n{self.text()[-2000:]}")
            now = time.perf_counter()
            self.raw += chunk
            for q, answer in QUERIES:
                if q in chunk:
                    os.write(self.fd, answer)
            if pred(self.text(start)):
                return now
        raise RuntimeError(f"no {what} in {timeout} s:\n{self.text()[-2000:]}")

    def drain(self, seconds):
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    self.raw += os.read(self.fd, 65536)
                except OSError:
                    return

    def close(self):
        try:
            os.write(self.fd, b"\x04")
        except OSError:
            pass
        end = time.perf_counter() + 5
        while time.perf_counter() < end:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            self.drain(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--statements", type=int, default=20)
    ap.add_argument("--settle", type=float, default=2.0,
                    help="seconds at the first prompt before typing")
    ap.add_argument("--prompt", default=r"(?m)^\S.*\S> ?$",
                    help="regex (searched in the output, escapes removed) that matches once the "
                         "prompt is up; default: a line ending in '>' or '> '")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--trips-log", help="delay_proxy.py's round-trip log, to count per statement")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command given")
    if shutil.which(cmd[0]) is None:
        print(f"at_prompt: {cmd[0]} not found", file=sys.stderr)
        return 2
    prompt_re = re.compile(args.prompt)
    home = tempfile.mkdtemp(prefix="dbsh-at-prompt-")
    samples = []
    trips = []

    def trips_so_far():
        try:
            with open(args.trips_log) as f:
                return sum(1 for _ in f)
        except OSError:
            return 0

    s = Session(cmd, env_for(home))
    try:
        s.wait("first prompt", lambda t: prompt_re.search(t), args.timeout)
        s.drain(args.settle)
        for i in range(1, args.statements + 1):
            line = f"select 1000+{i} as n;"
            start = len(s.raw)
            os.write(s.fd, line.encode())
            s.wait("echo", lambda t: line in t, args.timeout, start)
            start = len(s.raw)
            result = re.compile(rf"(?<![\d+]){1000 + i}(?!\d)")

            def done(t):
                m = result.search(t)
                return m is not None and prompt_re.search(t, m.end()) is not None

            before = trips_so_far() if args.trips_log else 0
            t0 = time.perf_counter()
            os.write(s.fd, b"\r")
            samples.append((s.wait("result and prompt", done, args.timeout, start) - t0) * 1000)
            if args.trips_log:
                trips.append(trips_so_far() - before)
    except RuntimeError as e:
        print(f"at_prompt: {' '.join(cmd)}: {e}", file=sys.stderr)
        return 1
    finally:
        s.close()
        shutil.rmtree(home, ignore_errors=True)
    report = {
        "median_ms": round(statistics.median(samples), 2),
        "min_ms": round(min(samples), 2),
        "max_ms": round(max(samples), 2),
        "runs": len(samples),
        "samples_ms": [round(x, 2) for x in samples],
    }
    if args.trips_log:
        report["trips"] = sorted(trips, reverse=True)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
