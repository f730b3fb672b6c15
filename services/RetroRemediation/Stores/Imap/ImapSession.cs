using MailKit;
using MailKit.Net.Imap;

namespace Gateway.RetroRemediation.Stores.Imap;

/// <summary>A logged-in IMAP session for one mailbox login, with the folders resolved in it so far.</summary>
internal sealed class ImapSession : IDisposable
{
    public ImapSession(string login, ImapClient client, DateTimeOffset now)
    {
        Login = login;
        Client = client;
        LastUsed = now;
    }

    public string Login { get; }

    public ImapClient Client { get; }

    public DateTimeOffset LastUsed { get; set; }

    /// <summary>Folders by configured name (Junk, quarantine), resolved once per session.</summary>
    public Dictionary<string, IMailFolder> Folders { get; } = new(StringComparer.Ordinal);

    /// <summary>The folder this session last selected, and for which event (IMAP selects one at a time).</summary>
    public (string Folder, string EventId) Selected { get; set; }

    public DateTimeOffset SelectedAt { get; set; }

    /// <summary>The event the session is acting for now.</summary>
    public string CurrentEvent { get; set; } = "";

    public bool IsUsable => Client.IsConnected && Client.IsAuthenticated;

    /// <summary>Logs out politely when it can; the socket is closed either way.</summary>
    public void Dispose()
    {
        try
        {
            if (Client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                Client.Disconnect(quit: true, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or ImapCommandException
            or OperationCanceledException or ServiceNotConnectedException or TimeoutException
            or System.Net.Sockets.SocketException)
        {
            // Closing anyway.
        }

        Client.Dispose();
    }
}
