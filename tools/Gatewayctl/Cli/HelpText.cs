namespace Gateway.Ctl.Cli;

/// <summary>The text of --help.</summary>
public static class HelpText
{
    public const string Usage = """
        usage: gatewayctl [options] COMMAND [ARGS]

        Commands:
          report spam FILE...   Report messages as spam: their fingerprints are convicted and every
                                delivered copy is moved to Junk.
          report ham FILE...    Report messages as ham: a conviction is reversed and copies moved to
                                Junk are put back.
          deliveries FILE       Show where the copies of a message were delivered and what was done to them.
          queue [list] [STATE] [LIMIT]
                                Show the delivery queue: counts by state (new, active, deferred) and
                                the oldest messages (all states unless STATE is given; LIMIT default 100).
          queue show ID         Show one queued message: envelope, attempts, each recipient's state.
          queue retry ID...|all Try the messages again now.
          queue delete ID...    Remove messages from the queue without delivering or reporting them.
          remediation list [--since TIME] [--limit N]
                                Show what remediation did to delivered copies, newest first (default
                                100). TIME is RFC 3339 (2025-12-04T10:00:00Z) or an age (90s, 30m, 2h, 7d).
          remediation show ID   Show one copy (ID = a copy id such as t5h2k0-3fa, from "deliveries") or
                                every copy acted on for a Message-ID, with all actions on them.
          sender show SUBJECT   Show what sender intelligence knows of an address, network or domain:
                                tier and why, limits, reputation, traffic, and every tier change.
          sender approve SUBJECT [--until WHEN] [--reason TEXT]
                                Move SUBJECT to the trusted tier (until a date, or for good).
          sender block SUBJECT [--until WHEN] [--reason TEXT]
                                Move SUBJECT to the blocked tier: refused at connect (554 5.7.1).
          sender reset SUBJECT [--reason TEXT]
                                Forget SUBJECT's approval or block, profile, counters and reputation.

        FILE is a raw RFC 5322 message (.eml); a leading mbox "From " line is skipped.
        SUBJECT is an IP address (192.0.2.7, 2001:db8::7), a CIDR network (192.0.2.0/24) or a domain.
        WHEN is a date or time in UTC (2030-06-30, 2030-06-30T18:00:00Z) or a span from now (90m, 12h, 30d).

        Options:
          --admin URL           Admin API of the gateway (else $GATEWAY_ADMIN, else http://127.0.0.1:8025).
          --token TOKEN         Bearer token of the admin API (else --token-file, else $GATEWAY_ADMIN_TOKEN).
          --token-file PATH     Read the token from a file.
          --timeout SECONDS     How long to wait for each answer (default 120).
          --until WHEN          End of a sender approval or block.
          --reason TEXT         Why, recorded in the sender's history.
          --json                Print the API's JSON answers instead of sentences.
          -h, --help            Show this help.

        Exit codes: 0 ok, 2 usage, 3 input file, 4 gateway unreachable, 5 server error,
        6 token refused, 7 unexpected answer, 1 interrupted.
        """;
}
