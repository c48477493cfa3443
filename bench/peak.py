"""Run a command and print its wall time, processor time and peak resident memory as JSON (used by `bench.run`).

A child's peak RSS, as the kernel reports it, starts from its parent's at fork time, and the
benchmark process holds gazetteers in memory. Starting each measured command from this small
process keeps the figure that of the command alone (and its own children, such as ``-j`` workers).
The processor time (user and system, the command's and its children's) is what the command itself
used: where other work shares the machine, it moves less than the wall time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    proc = subprocess.Popen(argv)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                      "peak_mb": usage.ru_maxrss / 1024}), file=sys.stderr)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
