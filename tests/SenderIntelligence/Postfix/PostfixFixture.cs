using System.Diagnostics;
using Gateway.Testing;
using Gateway.SenderIntelligence.Tests.Support;

namespace Gateway.SenderIntelligence.Tests.Postfix;

/// <summary>
/// A throwaway Postfix from Debian (GATEWAY_TEST_POSTFIX) with its own configuration and queue in a temp
/// directory, listening on 127.0.0.1 and asking a policy service on <see cref="PolicyPort"/> at RCPT and at the
/// end of data. It delivers nothing: every message goes to the discard transport. Stopped with its own command.
/// </summary>
public sealed class PostfixFixture : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-sender-postfix-" + Guid.NewGuid().ToString(
        "N"));
    private readonly string? _postfix = TestEnvironment.Get(TestServices.PostfixVariable);
    private bool _started;

    public int SmtpPort { get; } = FreePort.Next();

    public int PolicyPort { get; } = FreePort.Next();

    public string Dir => _dir;

    /// <summary>
    /// Writes the configuration and starts Postfix (once); throws with Postfix's own words when it cannot.
    /// </summary>
    public void EnsureStarted()
    {
        if (_started || _postfix is null)
        {
            return;
        }

        var etc = Path.Combine(_dir, "etc");
        Directory.CreateDirectory(etc);
        foreach (var sub in new[] { "spool", "data", "log" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, sub));
        }

        // The temp directory must be searchable by the postfix user, and data_directory owned by it.
        Run("chmod", $"0755 {_dir}");
        Run("chown", $"postfix:postfix {Path.Combine(_dir, "data")}");
        File.WriteAllText(Path.Combine(etc, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {_dir}/spool
            data_directory = {_dir}/data
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
            relay_domains =
            mynetworks = 127.0.0.0/8
            smtpd_relay_restrictions = permit_mynetworks, reject
            smtpd_recipient_restrictions = check_policy_service inet:127.0.0.1:{PolicyPort}, permit_mynetworks, reject
            smtpd_end_of_data_restrictions = check_policy_service inet:127.0.0.1:{PolicyPort}
            smtpd_policy_service_timeout = 30s
            default_transport = discard:test
            relay_transport = discard:test
            smtp_dns_support_level = disabled
            smtpd_tls_security_level = none
            smtp_tls_security_level = none
            biff = no
            maillog_file = {_dir}/log/maillog
            maillog_file_prefixes = {_dir}

            """);
        File.WriteAllText(Path.Combine(etc, "master.cf"), $"""
            127.0.0.1:{SmtpPort} inet n - n - - smtpd
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            flush     unix  n       -       n       1000?   0       flush
            proxymap  unix  -       -       n       -       -       proxymap
            smtp      unix  -       -       n       -       -       smtp
            relay     unix  -       -       n       -       -       smtp
            showq     unix  n       -       n       -       -       showq
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd

            """);
        Run("/bin/bash", $"-c \"{_postfix} -c {etc} check > {_dir}/check.log 2>&1 < /dev/null\"");
        // Never leave a daemon's output on a pipe of ours: the master would keep it open.
        Run("/bin/bash", $"-c \"{_postfix} -c {etc} start > {_dir}/start.log 2>&1 < /dev/null\"");
        _started = true;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                probe.Connect(System.Net.IPAddress.Loopback, SmtpPort);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException($"Postfix did not listen on 127.0.0.1:{SmtpPort} (see {_dir}/log/maillog)");
    }

    public string MailLog => File.Exists(Path.Combine(_dir, "log", "maillog"))
        ? File.ReadAllText(Path.Combine(_dir, "log", "maillog"))
        : "";

    public void Dispose()
    {
        if (_started && _postfix is not null)
        {
            try
            {
                Run("/bin/bash",
                    $"-c \"{_postfix} -c {Path.Combine(_dir, "etc")} stop > {_dir}/stop.log 2>&1 < /dev/null\"");
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean with the rest of the temp folder.
        }
    }

    private void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })!;
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new InvalidOperationException($"{file} {arguments} did not finish in 60 s");
        }

        if (process.ExitCode != 0)
        {
            var logs = string.Join("\n", new[] { "check.log", "start.log" }
                .Select(f => Path.Combine(_dir, f)).Where(File.Exists).Select(File.ReadAllText));
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {logs}");
        }
    }
}
