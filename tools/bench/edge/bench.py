#!/usr/bin/env python3
"""Edge benchmark: Postfix's smtp-source drives the gateway (standalone, every tier on) relaying to
Postfix's smtp-sink; then the same load drives a throwaway Postfix relaying to the same sink, and
the two are compared. Everything runs on 127.0.0.1 and is stopped by the process ids this script
recorded. Standard library only. See run.sh for the knobs."""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SENDER = "bench@sender.test"
RECIPIENT = "rcpt@example.test"


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"bench: {what} did not listen on 127.0.0.1:{port} within {seconds}s")


# --- corpus -------------------------------------------------------------------------------------------

def pick_messages(corpus, count, directory):
    """The `count` ham and spam messages closest to the corpus median size (ASCII, as plain SMTP
    clients send them), written without the mbox separator line. Returns their paths and sizes."""
    rows = []
    with open(os.path.join(corpus, "index.tsv"), encoding="utf-8") as index:
        header = index.readline().rstrip("\n").split("\t")
        for line in index:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row["8bit_header"] == "n" and row["8bit_body"] == "n":
                rows.append((row["file"], int(row["bytes"])))
    median = statistics.median(size for _, size in rows)
    chosen = sorted(rows, key=lambda r: abs(r[1] - median))[:count]
    os.makedirs(directory, exist_ok=True)
    picked = []
    for i, (name, _) in enumerate(chosen):
        with open(os.path.join(corpus, name), "rb") as source:
            lines = source.read().split(b"\n")
        if lines and lines[0].startswith(b"From "):
            lines = lines[1:]
        target = os.path.join(directory, f"msg{i}.eml")
        with open(target, "wb") as out:
            out.write(b"\n".join(lines))
        picked.append((target, os.path.getsize(target)))
    return median, picked


# --- processes and their cost ---------------------------------------------------------------------------

def stat_fields(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        data = f.read().decode("ascii", "replace")
    return data[data.rindex(")") + 2:].split()


def cpu_ticks(pid, with_reaped_children):
    """utime+stime (and, for a parent that reaps its workers, cutime+cstime) in clock ticks."""
    fields = stat_fields(pid)
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks


def rss_kib(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of(ppid):
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(stat_fields(int(entry))[1]) == ppid:
                    kids.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return kids


class Meter:
    """CPU and memory of a server under test: one process (the gateway), or a master and the workers it
    forks and reaps (Postfix). Workers that exited are in the master's reaped-children times; live ones
    are read directly, so the total is exact at each reading. Memory is the largest sum of resident
    sets seen by a sampler (every 100 ms), and for one process also its own high-water mark."""

    def __init__(self, pid, multi_process):
        self.pid = pid
        self.multi = multi_process
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def cpu_seconds(self):
        ticks = cpu_ticks(self.pid, self.multi)
        if self.multi:
            for child in children_of(self.pid):
                try:
                    ticks += cpu_ticks(child, False)
                except OSError:
                    pass  # exited between listing and reading: its time is now the master's
        return ticks / CLOCK_TICKS

    def rss_now(self):
        total = rss_kib(self.pid)
        if self.multi:
            total += sum(rss_kib(c) for c in children_of(self.pid))
        return total

    def peak(self):
        return max(self.peak_kib, rss_kib(self.pid, "VmHWM") if not self.multi else 0)

    def _sample(self):
        while not self._stop.wait(0.1):
            try:
                self.peak_kib = max(self.peak_kib, self.rss_now())
            except OSError:
                pass

    def stop(self):
        self._stop.set()
        self._thread.join(2)


class Sink:
    def __init__(self, program, base):
        self.port = free_port()
        self.out_path = os.path.join(base, "sink.out")
        self._out = open(self.out_path, "wb")
        self.process = subprocess.Popen(
            [program, "-u", "nobody", "-c", f"127.0.0.1:{self.port}", "1024"],
            stdout=self._out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_port(self.port, 10, "smtp-sink")

    def count(self):
        # -c rewrites one line of counters with CR; only the tail matters (the file keeps growing).
        with open(self.out_path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 200))
            tail = f.read().decode("ascii", "replace")
        counts = [int(part[5:]) for part in tail.replace("\r", " ").split() if part.startswith("mesg=")]
        return counts[-1] if counts else 0

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._out.close()


# --- the latency probe -----------------------------------------------------------------------------------

def probe(port, message, stop, latencies, errors):
    """One message per session, like smtp-source: time from the last octet of DATA to the final reply."""
    with open(message, "rb") as f:
        body = f.read().replace(b"\r\n", b"\n").split(b"\n")
    data = b"".join((b"." + line if line.startswith(b".") else line) + b"\r\n" for line in body) + b".\r\n"
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
                reader = s.makefile("rb")

                def reply():
                    while True:
                        line = reader.readline()
                        if not line:
                            raise ConnectionError("closed")
                        if line[3:4] != b"-":
                            return line

                reply()
                for command in (b"EHLO probe.test", b"MAIL FROM:<" + SENDER.encode() + b">",
                                b"RCPT TO:<" + RECIPIENT.encode() + b">", b"DATA"):
                    s.sendall(command + b"\r\n")
                    answer = reply()
                    if answer[:1] not in (b"2", b"3"):
                        raise ConnectionError(answer.decode("ascii", "replace").strip())
                s.sendall(data)
                started = time.perf_counter()
                final = reply()
                elapsed = time.perf_counter() - started
                if final[:3] != b"250":
                    raise ConnectionError(final.decode("ascii", "replace").strip())
                latencies.append(elapsed)
                s.sendall(b"QUIT\r\n")
                reply()
        except (OSError, ConnectionError) as error:
            errors.append(str(error))
            time.sleep(0.05)


# --- one measured run ------------------------------------------------------------------------------------

def drive(name, port, sink, meter, args, messages):
    """Warm up, then send args.messages with smtp-source (sessions split over one process per message
    file) while probes measure latency; wait until the sink has every message."""
    def blast(count, sessions):
        per_file = max(1, count // len(messages))
        per_sessions = max(1, sessions // len(messages))
        procs = [subprocess.Popen(
            [args.smtp_source, "-s", str(per_sessions), "-m", str(per_file), "-F", path,
             "-f", SENDER, "-t", RECIPIENT, "-M", "client.test", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for path, _ in messages]
        failed = []
        try:
            for p in procs:
                try:
                    _, err = p.communicate(timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    raise SystemExit(f"bench: smtp-source against {name} did not finish in {args.timeout}s")
                if p.returncode != 0 or err.strip():
                    failed.append(err.decode("utf-8", "replace").strip()[:300])
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        if failed:
            log(f"smtp-source against {name} reported: {failed[0]}")
        return per_file * len(messages)

    def wait_sink(target):
        deadline = time.monotonic() + args.timeout
        while sink.count() < target and time.monotonic() < deadline:
            time.sleep(0.05)
        return sink.count()

    log(f"{name}: warm-up, {args.warmup} messages")
    sent = blast(args.warmup, args.sessions)
    wait_sink(sink.base + sent)
    sink.base = sink.count()

    log(f"{name}: {args.messages} messages over {args.sessions} sessions")
    cpu_before = meter.cpu_seconds()
    latencies, errors, stop = [], [], threading.Event()
    probes = [threading.Thread(target=probe, args=(port, messages[i % len(messages)][0], stop, latencies, errors),
                               daemon=True) for i in range(args.probes)]
    started = time.perf_counter()
    for t in probes:
        t.start()
    try:
        sent = blast(args.messages, args.sessions)
    finally:
        stop.set()
    ingested = time.perf_counter() - started
    for t in probes:
        t.join(60)
    total = sent + len(latencies)
    arrived = wait_sink(sink.base + total) - sink.base
    elapsed = time.perf_counter() - started
    cpu = meter.cpu_seconds() - cpu_before
    sink.base = sink.count()
    if arrived < total:
        log(f"{name}: only {arrived} of {total} messages reached the sink within {args.timeout}s")
    if errors:
        log(f"{name}: probe errors: {len(errors)}, e.g. {errors[0]}")
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "name": name, "messages": total, "arrived": arrived,
        "ingest_rate": total / ingested, "rate": arrived / elapsed,
        "p50_ms": pct(0.50), "p99_ms": pct(0.99), "probes": len(latencies),
        "cpu_per_1000": cpu / max(1, arrived) * 1000, "peak_rss_mib": meter.peak() / 1024,
    }


# --- the two servers --------------------------------------------------------------------------------------

def run_edge(args, sink, base):
    port, admin = free_port(), free_port()
    data = os.path.join(base, "edge-data")
    os.makedirs(data)
    env = dict(os.environ)
    env.update({
        "Gateway__DataDir": data,
        "Gateway__Domains__0": "example.test",
        "Gateway__Smtp__Listen": f"127.0.0.1:{port}",
        "Gateway__Admin__Listen": f"127.0.0.1:{admin}",
        "Gateway__Delivery__Target": f"smtp://127.0.0.1:{sink.port}",
        "Gateway__Delivery__Concurrency": str(args.edge_delivery_concurrency),
        # Every tier stays on; the per-address concurrency limit is raised above the load's sessions.
        "Gateway__Sender__MaxConnectionsPerIp": str(args.sessions * 4 + args.probes + 8),
        "Logging__LogLevel__Default": args.edge_log_level,
        "DOTNET_gcServer": "0",
    })
    with open(os.path.join(base, "edge.log"), "wb") as out:
        edge = subprocess.Popen(["dotnet", args.gateway_dll], env=env, cwd=base,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_port(port, 60, "the gateway")
        meter = Meter(edge.pid, multi_process=False)
        try:
            return drive("gateway", port, sink, meter, args, args.picked)
        finally:
            meter.stop()
    finally:
        edge.send_signal(signal.SIGTERM)
        try:
            edge.wait(60)
        except subprocess.TimeoutExpired:
            edge.kill()


POSTFIX_MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def run_postfix(args, sink, base):
    port = free_port()
    d = os.path.join(base, "postfix")
    for sub in ("etc", "spool", "data", "log"):
        os.makedirs(os.path.join(d, sub))
    shutil.chown(os.path.join(d, "data"), "postfix", "postfix")
    with open(os.path.join(d, "etc", "main.cf"), "w", encoding="ascii") as f:
        f.write(f"""compatibility_level = 3.6
queue_directory = {d}/spool
data_directory = {d}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = gw.local.test
mydomain = local.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
local_transport = error:local delivery disabled
alias_maps =
alias_database =
relay_domains = example.test
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:{sink.port}
smtp_dns_support_level = disabled
smtp_tls_security_level = none
smtpd_tls_security_level = none
biff = no
maillog_file = {d}/log/maillog
maillog_file_prefixes = {d}
""")
    with open(os.path.join(d, "etc", "master.cf"), "w", encoding="ascii") as f:
        f.write(POSTFIX_MASTER_CF.format(port=port))
    etc = os.path.join(d, "etc")
    subprocess.run(["postfix", "-c", etc, "check"], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(d, "start.log"), "wb") as out:
        subprocess.run(["postfix", "-c", etc, "start"], check=True, stdin=subprocess.DEVNULL,
                       stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_port(port, 30, "Postfix")
        with open(os.path.join(d, "spool", "pid", "master.pid"), encoding="ascii") as f:
            master = int(f.read().strip())
        meter = Meter(master, multi_process=True)
        try:
            return drive("postfix", port, sink, meter, args, args.picked)
        finally:
            meter.stop()
    finally:
        subprocess.run(["postfix", "-c", etc, "stop"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    # A stop request runs the clean-up (finally blocks) that stops every server this script started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway-dll", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--smtp-source", default="/usr/sbin/smtp-source")
    parser.add_argument("--smtp-sink", default="/usr/sbin/smtp-sink")
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3000)
    parser.add_argument("--probes", type=int, default=2)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--edge-delivery-concurrency", type=int, default=20)
    parser.add_argument("--edge-log-level", default="Information")
    parser.add_argument("--only", choices=["gateway", "postfix", "both"], default="both")
    args = parser.parse_args()

    median, args.picked = pick_messages(args.corpus, args.files, os.path.join(args.base, "messages"))
    log(f"corpus median {median:.0f} octets; sending {', '.join(str(s) for _, s in args.picked)}-octet messages")
    sink = Sink(args.smtp_sink, args.base)
    sink.base = 0
    results = []
    try:
        if args.only in ("gateway", "both"):
            results.append(run_edge(args, sink, args.base))
        if args.only in ("postfix", "both"):
            results.append(run_postfix(args, sink, args.base))
    finally:
        sink.stop()

    load = os.getloadavg()
    print(f"\nsmtp-source -> server -> smtp-sink, {args.messages} messages (+ probes) over {args.sessions} "
          f"sessions, corpus-median-sized messages; {os.cpu_count()} CPUs, load before/after "
          f"{load[0]:.2f}")
    header = f"{'server':<9} {'msgs':>6} {'msg/s e2e':>10} {'msg/s in':>9} {'p50 ms':>8} {'p99 ms':>8} " \
             f"{'CPU s/1k':>9} {'peak RSS MiB':>13}"
    print(header)
    for r in results:
        print(f"{r['name']:<9} {r['arrived']:>6} {r['rate']:>10.0f} {r['ingest_rate']:>9.0f} {r['p50_ms']:>8.1f} "
              f"{r['p99_ms']:>8.1f} {r['cpu_per_1000']:>9.2f} {r['peak_rss_mib']:>13.0f}")
    if len(results) == 2:
        g, p = results
        print(f"ratio gateway/postfix: throughput {g['rate'] / p['rate']:.2f}x, ingest "
              f"{g['ingest_rate'] / p['ingest_rate']:.2f}x, p50 {g['p50_ms'] / p['p50_ms']:.2f}x, "
              f"p99 {g['p99_ms'] / p['p99_ms']:.2f}x, CPU per message {g['cpu_per_1000'] / p['cpu_per_1000']:.2f}x, "
              f"peak RSS {g['peak_rss_mib'] / p['peak_rss_mib']:.2f}x")
    print("(latency: time from the end of DATA to the final 250, measured by probe clients during the load;"
          " Postfix RSS is the sampled sum over its processes)")


if __name__ == "__main__":
    main()
