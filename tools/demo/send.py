#!/usr/bin/env python3
"""Send corpus messages to the gateway over SMTP, as an ordinary mail client would.

Envelope recipients are always mailboxes at the demo domain, never the addresses inside the corpus.
Writes one tab-separated line per message to --log:
    kind  file  message-id  outcome  accepted-rcpts  refused-rcpts  reply
where outcome is accepted | partial | refused | tempfail | error.
"""
import argparse
import email.parser
import email.policy
import email.utils
import os
import random
import re
import smtplib
import socket
import sys
import time

MAX_MESSAGES = 5000
MESSAGES_PER_SESSION = 25
SMTP_TIMEOUT_S = 60
MAX_CONNECT_FAILURES = 3


def read_message(path):
    """The file's message: no mbox "From " line, CRLF line ends (smtplib sends bytes as they are)."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"From "):
        cut = data.find(b"\n")
        data = b"" if cut < 0 else data[cut + 1:]
    return re.sub(rb"\r\n|\r|\n", b"\r\n", data)


def header_info(data):
    """(envelope sender, Message-ID) from the header section; tolerant of broken headers."""
    end = data.find(b"\r\n\r\n")
    head = data if end < 0 else data[:end + 2]
    try:
        msg = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(head)
        sender = email.utils.parseaddr(str(msg.get("From", "")))[1]
        message_id = " ".join(str(msg.get("Message-ID", "")).split())
    except Exception:  # hostile headers: fall back to defaults
        sender, message_id = "", ""
    if not re.fullmatch(r"[A-Za-z0-9._+=-]{1,64}@[A-Za-z0-9.-]{1,190}", sender or ""):
        sender = "unknown@sender.invalid"
    return sender, message_id[:300] or "-"


def clean(text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split())[:300]


def pick(corpus, kind, count, rng):
    folder = os.path.join(corpus, kind)
    names = sorted(n for n in os.listdir(folder) if n.endswith(".eml"))
    if len(names) < count:
        sys.exit(f"send.py: {folder} has only {len(names)} messages, {count} wanted")
    return [os.path.join(folder, n) for n in rng.sample(names, count)]


class Sender:
    def __init__(self, host, port, helo):
        self.host, self.port, self.helo = host, port, helo
        self.smtp = None
        self.sent_in_session = 0

    def close(self):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def connect(self):
        self.smtp = smtplib.SMTP(self.host, self.port, local_hostname=self.helo, timeout=SMTP_TIMEOUT_S)
        self.smtp.ehlo()
        self.sent_in_session = 0

    def send(self, sender, rcpts, data):
        """Returns (outcome, accepted, refused, reply)."""
        if self.smtp is None or self.sent_in_session >= MESSAGES_PER_SESSION:
            self.close()
            self.connect()
        self.sent_in_session += 1
        options = []
        if any(b > 0x7F for b in data) and self.smtp.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")
        try:
            refused = self.smtp.sendmail(sender, rcpts, data, mail_options=options)
            accepted = [r for r in rcpts if r not in refused]
            reply = "; ".join(f"{r}: {c} {clean(t)}" for r, (c, t) in refused.items()) or "250"
            return ("partial" if refused else "accepted"), accepted, list(refused), reply
        except smtplib.SMTPRecipientsRefused as e:
            codes = [c for c, _ in e.recipients.values()]
            reply = "; ".join(f"{r}: {c} {clean(t)}" for r, (c, t) in e.recipients.items())
            self.reset()
            return ("tempfail" if all(400 <= c < 500 for c in codes) else "refused"), [], rcpts, reply
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as e:
            self.reset()
            outcome = "tempfail" if 400 <= e.smtp_code < 500 else "refused"
            return outcome, [], rcpts, f"{e.smtp_code} {clean(e.smtp_error)}"
        except smtplib.SMTPServerDisconnected as e:
            self.smtp = None
            return "error", [], rcpts, f"disconnected: {clean(e)}"
        except (smtplib.SMTPException, OSError) as e:
            self.close()
            return "error", [], rcpts, clean(f"{type(e).__name__}: {e}")

    def reset(self):
        try:
            self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smtp", required=True, help="host:port")
    ap.add_argument("--domain", required=True)
    ap.add_argument("--mailboxes", required=True, help="space-separated local parts")
    ap.add_argument("--log", required=True)
    ap.add_argument("--corpus", help="folder holding spam/ and ham/")
    ap.add_argument("--count", type=int, default=300, help="messages in all, half spam half ham")
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--resend", help="a log written earlier: send its lines again with the same recipients")
    args = ap.parse_args()

    host, _, port = args.smtp.rpartition(":")
    mailboxes = [m for m in args.mailboxes.split() if m]
    if not host or not port.isdigit() or not mailboxes:
        sys.exit("send.py: --smtp must be host:port and --mailboxes must name at least one mailbox")
    rng = random.Random(args.seed)

    jobs = []  # (kind, path, recipients)
    if args.resend:
        with open(args.resend, encoding="utf-8") as f:
            for line in f:
                kind, path, _mid, _outcome, accepted, refused, _reply = line.rstrip("\n").split("\t")
                rcpts = [r for r in (accepted + " " + refused).split() if r != "-"]
                jobs.append((kind, path, rcpts))
    else:
        if args.count < 2 or args.count > MAX_MESSAGES:
            sys.exit(f"send.py: --count must be between 2 and {MAX_MESSAGES}")
        spam = pick(args.corpus, "spam", args.count // 2, rng)
        ham = pick(args.corpus, "ham", args.count - args.count // 2, rng)
        files = [("spam", p) for p in spam] + [("ham", p) for p in ham]
        rng.shuffle(files)
        for i, (kind, path) in enumerate(files):
            # Most messages go to one mailbox, every third to two, every seventh to three:
            # several copies of one message are what retro-remediation has to find.
            n = 3 if i % 7 == 0 else 2 if i % 3 == 0 else 1
            n = min(n, len(mailboxes))
            start = rng.randrange(len(mailboxes))
            rcpts = [f"{mailboxes[(start + k) % len(mailboxes)]}@{args.domain}" for k in range(n)]
            jobs.append((kind, path, rcpts))

    sender = Sender(host, int(port), "demo-client.example.test")
    failures = 0
    started = time.monotonic()
    with open(args.log, "w", encoding="utf-8") as log:
        for i, (kind, path, rcpts) in enumerate(jobs, 1):
            data = read_message(path)
            envelope_from, message_id = header_info(data)
            try:
                outcome, accepted, refused, reply = sender.send(envelope_from, rcpts, data)
            except (smtplib.SMTPException, OSError, socket.timeout) as e:  # connect or EHLO failed
                failures += 1
                sender.close()
                outcome, accepted, refused, reply = "error", [], rcpts, clean(f"connect: {e}")
                if failures >= MAX_CONNECT_FAILURES:
                    log.write("\t".join([kind, path, message_id, outcome, "-", " ".join(refused), reply]) + "\n")
                    sys.exit(f"send.py: giving up after {failures} failed connections to {args.smtp}: {reply}")
            log.write("\t".join([kind, path, message_id, outcome, " ".join(accepted) or "-",
                                 " ".join(refused) or "-", reply]) + "\n")
            if i % 50 == 0 or i == len(jobs):
                print(f"  sent {i}/{len(jobs)} ({time.monotonic() - started:.1f}s)", flush=True)
    sender.close()


if __name__ == "__main__":
    main()
