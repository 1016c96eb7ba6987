#!/usr/bin/env python3
"""Concurrent online registrations against a running EduPortal: each worker thread keeps one
HTTP connection and posts complete registration forms; a receipt is a 200 answer carrying a
tracking code. Prints one JSON line: sent, receipts, refused, failed, seconds, per second,
p50/p99 latency of receipted requests, and writes the receipted codes to --codes.

--kill-pid PID --kill-after N: SIGKILL that process once N receipts have come back (the
reliability check: every receipt must still be stored, exactly once, after a restart)."""
import argparse
import http.client
import json
import os
import re
import signal
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--host", default="thpt-chu-van-an.localhost")
parser.add_argument("--count", type=int, default=500)
parser.add_argument("--concurrency", type=int, default=256)
parser.add_argument("--codes", required=True)
parser.add_argument("--kill-pid", type=int)
parser.add_argument("--kill-after", type=int, default=0)
args = parser.parse_args()


def fetch(path):
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    connection.request("GET", path, headers={"Host": args.host})
    return connection.getresponse().read().decode()


listing = fetch("/tuyen-sinh")
plan = re.search(r'href="(/tuyen-sinh/[0-9a-f-]{36})"', listing).group(1)
form = fetch(plan + "/dang-ky")
school = re.search(r'<option value="([0-9a-f-]{36})">Trường THPT Chu Văn An', form).group(1)
zone = re.search(r'<option value="(Tuyến 1[^"]*)"', form).group(1)
target = plan + "/dang-ky"

lock = threading.Lock()
next_index = [0]
receipts, latencies = [], []
refused, failed = [0], [0]
killed = [False]
CODE = re.compile(r'tracking-code">([A-Z0-9-]+)<')


def body(index):
    return urllib.parse.urlencode({
        "pupilName": "Nguyễn Văn Tải", "birthDate": f"{1 + index % 28:02d}/{1 + index % 12:02d}/2012", "gender": "Nam",
        "birthPlace": "Ninh Bình", "address": f"Số {index} đường Trần Hưng Đạo, phường Hoa Lư", "zone": zone,
        "parentName": "Nguyễn Văn Phụ", "parentPhone": f"09{12_000_000 + index:08d}", "parentEmail": "", "choice1": school,
        "consent": "on"})


def worker():
    connection = None
    while True:
        with lock:
            index = next_index[0]
            if index >= args.count:
                return
            next_index[0] += 1
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
            connection.request("POST", target, body=body(index),
                               headers={"Host": args.host, "Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            elapsed = time.perf_counter() - started
            match = CODE.search(text) if response.status == 200 else None
            with lock:
                if match:
                    receipts.append(match.group(1))
                    latencies.append(elapsed)
                    if args.kill_pid and not killed[0] and len(receipts) >= args.kill_after:
                        os.kill(args.kill_pid, signal.SIGKILL)
                        killed[0] = True
                else:
                    refused[0] += 1
        except (OSError, http.client.HTTPException):
            with lock:
                failed[0] += 1
            connection = None


started = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
seconds = time.perf_counter() - started
with open(args.codes, "w") as out:
    out.write("\n".join(receipts) + ("\n" if receipts else ""))
latencies.sort()


def percentile(p):
    return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else None


print(json.dumps({"sent": args.count, "receipts": len(receipts), "refused": refused[0], "failed": failed[0],
                  "seconds": round(seconds, 2), "per_second": round(len(receipts) / seconds, 1),
                  "p50_ms": percentile(0.50), "p99_ms": percentile(0.99), "killed": killed[0]}))
