using Gateway.Contracts;
using Gateway.FingerprintFilter;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Eval;

/// <summary>
/// This project's fingerprint filter, in process with its in-memory stores and default settings:
/// reports go in as "admin" spam reports; a message is caught when the scan classifies it as spam.
/// </summary>
public sealed class GatewayDetector : IDetector
{
    private readonly ServiceProvider _services;
    private readonly IFingerprintFilter _filter;

    public GatewayDetector(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddFingerprintFilter(configuration).UseInMemoryFingerprintStores();
        services.AddSingleton<IFingerprintEventPublisher, DiscardingPublisher>();
        _services = services.BuildServiceProvider(validateScopes: true);
        _filter = _services.GetRequiredService<IFingerprintFilter>();
    }

    public string Name => "gateway (t1+f1+a1+u1)";

    public async Task LearnAsync(IReadOnlyList<CorpusMessage> reports, CancellationToken cancellationToken)
    {
        foreach (var report in reports)
        {
            await _filter.ReportAsync(new ReportRequest
            {
                Kind = ReportKind.Spam,
                Message = ByteString.CopyFrom(await File.ReadAllBytesAsync(report.Path, cancellationToken)),
                Source = "admin",
            }, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<Judgement>> JudgeAsync(
        IReadOnlyList<CorpusMessage> messages, CancellationToken cancellationToken)
    {
        var judgements = new List<Judgement>(messages.Count);
        foreach (var message in messages)
        {
            var result = await _filter.ScanAsync(new ScanRequest
            {
                QueueId = message.File,
                Message = ByteString.CopyFrom(await File.ReadAllBytesAsync(message.Path, cancellationToken)),
            }, cancellationToken);
            var rules = string.Join(',', result.Reasons.Select(r => r.Rule).Distinct());
            judgements.Add(new Judgement(message, result.Classification == ScanClass.Spam,
                result.Classification == ScanClass.Suspect, $"score {result.Score:0.0} {rules}"));
        }

        return judgements;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private sealed class DiscardingPublisher : IFingerprintEventPublisher
    {
        public Task<RemediationSummary?> PublishAsync(
            FingerprintEvent fingerprintEvent, CancellationToken cancellationToken) =>
            Task.FromResult<RemediationSummary?>(null);
    }
}
