using System.Security.Cryptography;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// Holds the policy in force. With no file configured that is <see cref="SenderPolicy.BuiltIn"/>; with a file it
/// is the file's last valid content: <see cref="Reload"/> swaps in a new version only when the whole file is
/// valid, and otherwise logs every problem with its line and keeps the running policy.
/// </summary>
public sealed class PolicyProvider
{
    private readonly string? _path;
    private readonly SenderMetrics _metrics;
    private readonly ILogger _logger;
    private readonly object _reloadLock = new();
    private volatile SenderPolicy _current;
    private byte[] _loadedHash = [];

    /// <summary>Loads the configured file (or the built-in policy).</summary>
    /// <exception cref="PolicyFileException">The file is invalid: the gateway must not start on it.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public PolicyProvider(IOptions<SenderIntelligenceOptions> options, SenderMetrics metrics,
        ILogger<PolicyProvider> logger)
    {
        _metrics = metrics;
        _logger = logger;
        var file = options.Value.Local.PolicyFile;
        if (string.IsNullOrWhiteSpace(file))
        {
            _current = SenderPolicy.BuiltIn;
            return;
        }

        _path = Path.GetFullPath(file);
        var text = File.ReadAllText(_path);
        _current = PolicyFileParser.Parse(text, _path);
        _loadedHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        SenderIntelligenceLog.PolicyLoaded(_logger, _path, _current.Rules.Count);
    }

    /// <summary>A provider for a policy given directly (tests, embedding).</summary>
    public PolicyProvider(SenderPolicy policy, SenderMetrics metrics, ILogger<PolicyProvider> logger)
    {
        _current = policy;
        _metrics = metrics;
        _logger = logger;
    }

    public SenderPolicy Current => _current;

    /// <summary>The policy file, or null for the built-in policy.</summary>
    public string? PolicyFile => _path;

    /// <summary>
    /// Reads the file again and swaps the policy in when it changed and is valid. Returns true when a new policy
    /// is in force; false when the file is unchanged, unreadable or invalid (the running policy stays).
    /// </summary>
    public bool Reload()
    {
        if (_path is null)
        {
            return false;
        }

        lock (_reloadLock)
        {
            string text;
            try
            {
                var info = new FileInfo(_path);
                if (info.Exists && info.Length > PolicyFileParser.MaxFileBytes)
                {
                    throw new PolicyFileException(_path,
                        [new PolicyError(1, 1, $"the file is larger than {PolicyFileParser.MaxFileBytes} bytes")]);
                }

                text = File.ReadAllText(_path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _metrics.RecordPolicyReload("unreadable");
                SenderIntelligenceLog.PolicyUnreadable(_logger, _path, e);
                return false;
            }
            catch (PolicyFileException e)
            {
                Refused(e);
                return false;
            }

            var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
            if (hash.AsSpan().SequenceEqual(_loadedHash))
            {
                return false;
            }

            try
            {
                _current = PolicyFileParser.Parse(text, _path);
            }
            catch (PolicyFileException e)
            {
                // Remember the refused content, so the same mistake is reported once and not at every poll.
                _loadedHash = hash;
                Refused(e);
                return false;
            }

            _loadedHash = hash;
            _metrics.RecordPolicyReload("loaded");
            SenderIntelligenceLog.PolicyLoaded(_logger, _path, _current.Rules.Count);
            return true;
        }
    }

    private void Refused(PolicyFileException e)
    {
        _metrics.RecordPolicyReload("refused");
        foreach (var error in e.Errors)
        {
            SenderIntelligenceLog.PolicyRefused(_logger, e.Source, error.Line, error.Column, error.Reason);
        }
    }
}
