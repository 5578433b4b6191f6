#!/usr/bin/env python3
"""examples/custom_options raises the body limit: a 5 MB upload is accepted, 20 MB is a 413."""
import re
import signal
import subprocess
import sys

exe = sys.argv[1]
proc = subprocess.Popen([exe, "--port", "0", "--no-access-log"], stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True)
try:
    line = proc.stdout.readline()
    port = int(re.search(r":(\d+)/", line).group(1))
    url = f"http://127.0.0.1:{port}/upload"

    def post(size):
        r = subprocess.run(["curl", "-s", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}",
                            "-H", "Content-Type: application/octet-stream", "--data-binary", "@-", url],
                           input=b"x" * size, capture_output=True)
        body, _, code = r.stdout.decode().rpartition("\n")
        return code, body

    ok_code, ok_body = post(5_000_000)
    big_code, _ = post(20_000_000)
    results = [ok_code == "200" and ok_body == "received 5000000 bytes\n", big_code == "413"]
    print(f"5 MB: {ok_code} {ok_body!r}; 20 MB: {big_code}")
finally:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=15)
print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
