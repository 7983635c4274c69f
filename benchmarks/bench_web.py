"""Load test of `gongkai serve` on loopback: the seed checked over HTTP by concurrent clients.

    .venv/bin/python benchmarks/bench_web.py                        # 400 requests, 8 clients, POST /api/check
    .venv/bin/python benchmarks/bench_web.py --path /check          # the browser form (HTML page + downloads)
    .venv/bin/python benchmarks/bench_web.py --max-concurrent 4     # the server's worker count
    .venv/bin/python benchmarks/bench_web.py --url http://127.0.0.1:8000   # a server already running

Starts `gongkai serve` on a free port of 127.0.0.1 (unless --url is given), sends a few warm-up
requests, then `--requests` uploads of the seed from `--clients` concurrent clients (asyncio +
httpx, one connection each), and prints requests per second and latency percentiles. Bounded in
count and in time: it stops issuing requests after `--max-seconds` and says so.

Measured on the development machine (2 CPUs, so 2 workers; the clients ran on the same 2 CPUs; load
average 1.5-2.8 from other work at the time), 400 requests from 8 clients, all answered 200:

    POST /api/check (findings JSON)          45-53 requests/s   p50 159-164 ms   p90 175-229 ms   p99 248-275 ms
    POST /check (result page + downloads)    19 requests/s      p50 313 ms       p90 596 ms       p99 670 ms

With 8 clients and 2 workers, 6 requests wait in the queue at any time, so latency is mostly
queueing: about 4 x the time of one check. With the machine busy with other test runs (load 5-10)
the same runs gave 15-23 and 7-8.5 requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_5c46bab77c95ce4d.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(max_concurrent: int | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-c", "import sys; from gongkai.cli import main; sys.argv[0] = 'gongkai'; main()",
           "serve", "--port", str(port)]
    if max_concurrent:
        cmd += ["--max-concurrent", str(max_concurrent)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gongkai serve exited before it was ready")
        try:
            if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("gongkai serve did not become ready")


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def load(base: str, path: str, total: int, clients: int, max_seconds: float, data: bytes):
    latencies: list[float] = []
    statuses: Counter[int | str] = Counter()
    issued = 0
    stop_at = time.monotonic() + max_seconds
    lock = asyncio.Lock()

    async def client() -> None:
        nonlocal issued
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=httpx.Limits(max_connections=1)) as http:
            while True:
                async with lock:
                    if issued >= total or time.monotonic() > stop_at:
                        return
                    issued += 1
                t0 = time.perf_counter()
                try:
                    r = await http.post(path, files={"file": (SEED.name, data, "text/plain")})
                    await r.aread()
                    statuses[r.status_code] += 1
                except httpx.HTTPError as err:
                    statuses[type(err).__name__] += 1
                    continue
                latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - t0, latencies, statuses, issued


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--path", default="/api/check", choices=["/api/check", "/check"])
    ap.add_argument("--max-concurrent", type=int, default=None, help="passed to gongkai serve")
    ap.add_argument("--max-seconds", type=float, default=300, help="stop issuing requests after this long")
    ap.add_argument("--url", default=None, help="use this running server instead of starting one")
    args = ap.parse_args()

    data = SEED.read_bytes()
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        proc, base = start_server(args.max_concurrent)
    try:
        health = httpx.get(f"{base}/api/health", timeout=10).json()
        # Warm-up: every worker has checked the seed once before the clock starts.
        asyncio.run(load(base, args.path, max(args.clients, health["workers"]) * 2, args.clients, 60, data))
        elapsed, latencies, statuses, issued = asyncio.run(
            load(base, args.path, args.requests, args.clients, args.max_seconds, data))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()

    lat = sorted(x * 1000 for x in latencies)
    print(f"gongkai serve load test: POST {args.path}, seed ({len(data)} bytes), {args.clients} clients, "
          f"{health['workers']} workers, {os.cpu_count()} CPUs")
    # Numbers from a machine busy with other work say little on their own: show how busy it was.
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min, at the end)")
    if issued < args.requests:
        print(f"  stopped after {args.max_seconds:g} s: {issued} of {args.requests} requests issued")
    print(f"  requests     {len(latencies)} answered in {elapsed:.2f} s; statuses {dict(statuses)}")
    print(f"  throughput   {len(latencies) / elapsed:.1f} requests/s")
    if lat:
        print(f"  latency ms   p50 {percentile(lat, 50):.1f}   p90 {percentile(lat, 90):.1f}   "
              f"p99 {percentile(lat, 99):.1f}   mean {statistics.fmean(lat):.1f}   max {lat[-1]:.1f}")
    ok = statuses.get(200, 0)
    sys.exit(0 if ok == len(latencies) == issued else 1)


if __name__ == "__main__":
    main()
