"""The web page's cost: upload -> analysis page and upload -> downloaded PDF, against `briefgen build`.

A real `briefgen serve` runs as a child process on 127.0.0.1 (a free port) with a fresh workspace;
a client posts the seed as a browser would (CSRF token from the page, multipart upload, build form,
status followed as the page's script does, PDF downloaded). The peer, measured in the same run on
the same source and options (memo audience, PDF, fixed date):
  - warm: `build.build_sources` in this process with the spaCy model already loaded, which is what
    the server does for one build (the goal: the page adds under 10 % to it);
  - cold: the `briefgen build` command as a user types it (Python start and model load included).
Wall-clock ratios move with the machine's load (other processes share its cores), so the CPU time
the server spent from upload to PDF is also set against the peer's. Then the analysis page's
response time once built, and the server's memory (VmRSS) after one and
after N builds.

The analysis keeps a few parses in memory (keyed on the sentences' text), so every upload and every
peer build in a round gets a copy of the seed with one line of its own at the end: nobody is timed
on a parse done before.

    .venv/bin/python bench/serve.py [--rounds 5] [--builds 50]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from briefgen.build import build_sources
from briefgen.options import BuildOptions
from common import ROOT

SEED = ROOT / "sources" / "north-korean-security.txt"
DATE = "2026-01-05"
BRIEFGEN = Path(sys.executable).with_name("briefgen")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def token(client: httpx.Client, url: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert match
    return match[1]


def variant(folder: Path, n: int) -> Path:
    """The seed with a last paragraph of its own, in a folder of its own (same file name)."""
    path = folder / f"copy-{n}" / SEED.name
    path.parent.mkdir(parents=True)
    path.write_text(SEED.read_text(encoding="utf-8") + f"\nThis copy of the note is number {n}.\n")
    return path


def upload(client: httpx.Client, source: Path) -> tuple[str, str]:
    """Post a source; returns the analysis page's path, once its HTML has arrived, and its form token."""
    csrf = token(client, "/")
    with source.open("rb") as handle:
        response = client.post("/sources", data={"csrf": csrf}, files={"file": (source.name, handle)})
    assert response.status_code == 303, response.text[:300]
    page = response.headers["location"]
    html = client.get(page)
    assert html.status_code == 200
    match = re.search(r'name="csrf" value="([^"]+)"', html.text)
    assert match
    return page, match[1]


def build_pdf(client: httpx.Client, opened: tuple[str, str]) -> bytes:
    """Press Build on the open analysis page, follow the progress, download the PDF."""
    page, csrf = opened
    form = {"csrf": csrf, "audience": "memo", "format": "pdf", "date": DATE}
    response = client.post(page + "/builds", data=form)
    assert response.status_code == 303, response.text[:300]
    build = response.headers["location"]
    for _ in range(60):  # bounded: each answer comes within 10 s
        status = client.get(build + "/status", params={"wait": 1}).json()  # as the page's script asks
        if status["status"] in ("done", "failed"):
            break
    assert status["status"] == "done", status
    pdf = client.get(build + "/files/memo.pdf")
    assert pdf.status_code == 200
    return pdf.content


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--builds", type=int, default=50)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefgen-bench-serve-"))
    port = free_port()
    server = subprocess.Popen(
        [str(BRIEFGEN), "serve", "--port", str(port), "--workspace", str(work / "ws")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        for _ in range(300):  # bounded: 30 s for the server to listen
            try:
                client.get("/")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        copies = iter(range(1, 1000))
        build_pdf(client, upload(client, variant(work, next(copies))))  # warm-up: model, fonts, renderers
        rss_first = rss_mib(server.pid)

        options = BuildOptions(audiences=("memo",), formats=("pdf",), out_dir=work / "cli", date=DATE)
        build_sources([variant(work, next(copies))], options)  # warm-up of the in-process peer
        warm, cold, to_page, to_pdf = [], [], [], []
        warm_cpu, page_cpu = [], []
        for _ in range(args.rounds):
            source = variant(work, next(copies))
            start, cpu = time.perf_counter(), time.process_time()
            build_sources([source], options)
            warm.append(time.perf_counter() - start)
            warm_cpu.append(time.process_time() - cpu)

            source = variant(work, next(copies))
            command = [str(BRIEFGEN), "build", str(source), "-a", "memo", "-f", "pdf", "--date", DATE]
            start = time.perf_counter()
            subprocess.run([*command, "-o", str(work / "cold")], check=True, stdout=subprocess.DEVNULL)
            cold.append(time.perf_counter() - start)

            source = variant(work, next(copies))
            start, cpu = time.perf_counter(), cpu_seconds(server.pid)
            opened = upload(client, source)
            to_page.append(time.perf_counter() - start)
            build_pdf(client, opened)
            to_pdf.append(time.perf_counter() - start)
            page_cpu.append(cpu_seconds(server.pid) - cpu)

        page_times = []
        for _ in range(50):
            start = time.perf_counter()
            assert client.get(opened[0]).status_code == 200
            page_times.append(time.perf_counter() - start)

        rss_rounds = rss_mib(server.pid)
        for n in range(args.builds):
            build_pdf(client, opened)
            if n + 1 == args.builds // 2:
                rss_half = rss_mib(server.pid)
        rss_after = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    w, c = statistics.median(warm), statistics.median(cold)
    p, d = statistics.median(to_page), statistics.median(to_pdf)
    print(f"briefgen serve vs briefgen build, {SEED.name}, memo PDF, median of {args.rounds} rounds")
    print()
    print("| measure | seconds | vs warm build | vs cold `briefgen build` |")
    print("| --- | --- | --- | --- |")
    print(f"| build_sources, model loaded (peer) | {w:.3f} | 1.00 | {w / c:.2f} |")
    print(f"| `briefgen build` command (peer) | {c:.3f} | {c / w:.2f} | 1.00 |")
    print(f"| page: upload -> analysis page | {p:.3f} | {p / w:.2f} | {p / c:.2f} |")
    print(f"| page: upload -> downloaded PDF | {d:.3f} | {d / w:.2f} | {d / c:.2f} |")
    wc, pc = statistics.median(warm_cpu), statistics.median(page_cpu)
    print(f"| CPU seconds: build_sources (peer) | {wc:.3f} | 1.00 | |")
    print(f"| CPU seconds: the server, upload -> downloaded PDF | {pc:.3f} | {pc / wc:.2f} | |")
    print()
    ms = sorted(t * 1000 for t in page_times)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"analysis page once built: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms")
    print(
        f"server memory (VmRSS): {rss_first:.0f} MiB after the first upload and build; "
        f"{rss_rounds:.0f} MiB after {args.rounds} more uploads and builds (the analysis caches fill); "
        f"{rss_half:.0f} MiB after {args.builds // 2} further builds; {rss_after:.0f} MiB after {args.builds}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
