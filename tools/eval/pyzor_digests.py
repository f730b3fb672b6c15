#!/usr/bin/python3
"""Prints the pyzor digest of each message file named on stdin, one "path<TAB>digest" line each.

The digest is what `pyzor digest < FILE` prints: pyzor.digest.DataDigester over the message parsed
with email.message_from_bytes (the pyzor command does exactly this); one process for all files
instead of one per file. "-" stands for a message pyzor gives no digest. The last line on stderr is
"digested N in S seconds, cpu C seconds" (digest time only, wall clock and process CPU, for the
benchmark).
"""
import email
import sys
import time

import pyzor.digest


def main():
    paths = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    messages = []
    for path in paths:
        with open(path, "rb") as handle:
            messages.append((path, handle.read()))
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    started = time.perf_counter()
    cpu_started = time.process_time()
    digests = {}
    for _ in range(rounds):
        for path, raw in messages:
            try:
                digests[path] = pyzor.digest.DataDigester(email.message_from_bytes(raw)).value or "-"
            except Exception:  # pyzor raises on some malformed input; count it as "no digest"
                digests[path] = "-"
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    for path, _ in messages:
        print(f"{path}\t{digests[path]}")
    print(f"digested {len(messages) * rounds} in {elapsed:.3f} seconds, cpu {cpu:.3f} seconds", file=sys.stderr)


if __name__ == "__main__":
    main()
