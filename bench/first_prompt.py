#!/usr/bin/env python3
"""Time from exec to the first interactive prompt, in a pseudo-terminal.

    bench/first_prompt.py [--runs 10] [--fresh-home|--home DIR] [--prompt REGEX] -- CMD ARGS...

Spawns CMD on a new pty (80x24), answers the terminal queries line editors send while
starting (cursor position `ESC[6n` -> `ESC[1;1R`, which reedline and prompt_toolkit wait
for; primary device attributes `ESC[c`), reads until the output (escape sequences
removed) matches --prompt, and stops the clock there. Then it sends Ctrl-D and
waits for the process to end (killing it after a few seconds).

HOME and the XDG directories point at a temporary directory, so no user config or history
is read: with --fresh-home a new one per run (first-run cost included: dbsh writes its
default config then), otherwise one directory shared by all runs after a warm-up run.

Prints one line of JSON: {"median_ms", "min_ms", "max_ms", "runs", "samples_ms"}.
Exit code 1 if the prompt never appeared (the output seen is printed to stderr).
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

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
QUERIES = [
    (b"\x1b[6n", b"\x1b[1;1R"),  # cursor position report
    (b"\x1b[c", b"\x1b[?62;22c"),  # primary device attributes (VT220)
    (b"\x1b[0c", b"\x1b[?62;22c"),
]


def env_for(home: str) -> dict:
    env = dict(os.environ)
    for k in ("PGSERVICEFILE", "PSQLRC", "MYSQL_HOME", "DBSH_CONFIG", "VIRTUAL_ENV_PROMPT"):
        env.pop(k, None)
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        XDG_DATA_HOME=os.path.join(home, ".local/share"),
        XDG_CACHE_HOME=os.path.join(home, ".cache"),
        XDG_STATE_HOME=os.path.join(home, ".local/state"),
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
        PAGER="cat",
        LESS="",
        # pgcli/mycli ask the keyring for a password first; without a backend installed
        # that prints a warning and costs time that is not theirs to pay on a server.
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def one_run(cmd, env, prompt_re, timeout, show=False, linger=0.0):
    """Seconds to the prompt, or raise RuntimeError with what was seen."""
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        try:
            os.execvpe(cmd[0], cmd, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    elapsed = None
    deadline = t0 + timeout
    try:
        while time.perf_counter() < deadline:
            r, _, _ = select.select([fd], [], [], 0.05)
            if not r:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break  # the child exited
            if not chunk:
                break
            now = time.perf_counter()
            seen += chunk
            for q, answer in QUERIES:
                if q in chunk:
                    os.write(fd, answer)
            text = ANSI.sub(b"", seen).replace(b"\r", b"\n").decode("utf-8", "replace")
            m = prompt_re.search(text)
            if m:
                last = m.group(0)
                elapsed = now - t0
                if show:
                    print(f"first_prompt: prompt line {last!r}", file=sys.stderr)
                break
        # Let background work finish (a catalog load writing its disk snapshot).
        end = time.perf_counter() + linger
        while elapsed is not None and time.perf_counter() < end:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    os.read(fd, 65536)
                except OSError:
                    break
    finally:
        try:
            os.write(fd, b"\x04")
        except OSError:
            pass
        end = time.perf_counter() + 5
        while time.perf_counter() < end:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            try:  # drain, so the child never blocks writing to the pty
                if select.select([fd], [], [], 0.05)[0]:
                    os.read(fd, 65536)
            except OSError:
                pass
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    if elapsed is None:
        raise RuntimeError(seen.decode("utf-8", "replace")[-2000:])
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--fresh-home", action="store_true",
                    help="a new empty HOME per run (first-run cost included)")
    ap.add_argument("--home", help="use this HOME (default: a temporary one, warmed up once)")
    ap.add_argument("--prompt", default=r"(?m)^\S.*\S> ?$",
                    help="regex (searched in the output, escapes removed) that matches once the "
                         "prompt is up; default: a line ending in '>' or '> '")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--warmup-linger", type=float, default=0.0, metavar="SECONDS",
                    help="keep the warm-up run at its prompt this long (to let a catalog "
                         "snapshot be written) before exiting it")
    ap.add_argument("--show", action="store_true", help="print the matched prompt line to stderr")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command given")
    if shutil.which(cmd[0]) is None:
        print(f"first_prompt: {cmd[0]} not found", file=sys.stderr)
        return 2
    prompt_re = re.compile(args.prompt)
    base = tempfile.mkdtemp(prefix="dbsh-first-prompt-")
    samples = []
    try:
        shared = args.home or os.path.join(base, "home")
        os.makedirs(shared, exist_ok=True)
        if not args.fresh_home:
            # Warm-up: writes configs (and, with --warmup-linger, catalog snapshots).
            one_run(cmd, env_for(shared), prompt_re, args.timeout, linger=args.warmup_linger)
        for i in range(args.runs):
            home = shared
            if args.fresh_home:
                home = os.path.join(base, f"home{i}")
                os.makedirs(home)
            samples.append(one_run(cmd, env_for(home), prompt_re, args.timeout, args.show) * 1000)
    except RuntimeError as e:
        print(f"first_prompt: no prompt matching {args.prompt!r} from {' '.join(cmd)}; "
              f"the output was:\n{e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(json.dumps({
        "median_ms": round(statistics.median(samples), 2),
        "min_ms": round(min(samples), 2),
        "max_ms": round(max(samples), 2),
        "runs": len(samples),
        "samples_ms": [round(s, 2) for s in samples],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
