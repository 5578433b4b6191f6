"""examples/hello as a child process for the bench/hostile scripts: start it on a free port,
keep its log, and read what /proc says of it (resident memory, CPU time, open sockets)."""
import os
import re
import subprocess
import sys
import threading


class Hello:
    """Starts `path` with `--port 0 --threads 2 --no-access-log` and `flags`; waits for its
    start-up line. `lines` collects everything it logs (read on a thread of its own, so the
    pipe never fills); `preexec_fn` runs in the child before exec (e.g. to lower its limits)."""

    def __init__(self, path, *flags, preexec_fn=None):
        self.proc = subprocess.Popen([path, "--port", "0", "--threads", "2", "--no-access-log", *flags],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     preexec_fn=preexec_fn)
        self.pid = self.proc.pid
        self.lines = []
        self.port = None
        ready = threading.Event()

        def reader():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                    ready.set()
        threading.Thread(target=reader, daemon=True).start()
        if not ready.wait(10):
            self.proc.kill()
            sys.exit(f"{path} did not print its URL")

    def status(self):
        """/proc/PID/status as a dict ("VmRSS": "5904 kB", ...)."""
        with open(f"/proc/{self.pid}/status") as f:
            return {k: v.strip() for k, _, v in (l.partition(":") for l in f)}

    def rss_kib(self):
        return int(self.status()["VmRSS"].split()[0])

    def cpu_seconds(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def sockets(self):
        """How many sockets the process holds open (the listener included)."""
        n = 0
        try:
            for fd in os.listdir(f"/proc/{self.pid}/fd"):
                try:
                    n += os.readlink(f"/proc/{self.pid}/fd/{fd}").startswith("socket:")
                except OSError:
                    pass
        except OSError:
            pass
        return n

    def stop(self, timeout=20):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        self.proc.terminate()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None
