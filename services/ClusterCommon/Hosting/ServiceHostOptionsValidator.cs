using Gateway.Common.Net;
using Gateway.Common.Security;
using Microsoft.Extensions.Options;

namespace Gateway.ClusterCommon.Hosting;

/// <summary>
/// Refuses to start a service whose gRPC listener others can reach without authenticating, and checks the
/// token and TLS files before Kestrel needs them, so a mistake is one clear message rather than a stack trace.
/// </summary>
public sealed class ServiceHostOptionsValidator : IValidateOptions<ServiceHostOptions>
{
    private const string Keys = ServiceHostOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ServiceHostOptions options)
    {
        var failures = new List<string>();
        if (!EndpointParser.TryParse(options.GrpcListen, out var grpc))
        {
            failures.Add($"{Keys}GrpcListen must be an address and port such as 127.0.0.1:7102; "
                + $"got '{options.GrpcListen}'.");
        }

        if (!EndpointParser.TryParse(options.HttpListen, out _))
        {
            failures.Add($"{Keys}HttpListen must be an address and port such as 127.0.0.1:8102; "
                + $"got '{options.HttpListen}'.");
        }

        if (BearerToken.Problem(options.GrpcToken, options.GrpcTokenFile, Keys + "Grpc") is { } tokenProblem)
        {
            failures.Add(tokenProblem);
        }

        if (options.Tls.IsEnabled)
        {
            failures.AddRange(TlsProblems(options.Tls));
        }

        if (grpc is not null && !EndpointParser.IsLoopback(grpc) && !options.RequiresCallerAuthentication)
        {
            failures.Add($"{Keys}GrpcListen ({options.GrpcListen}) is not a loopback address, so its callers must "
                + $"authenticate: set {Keys}GrpcTokenFile (or {Keys}GrpcToken), or mutual TLS with "
                + $"{Keys}Tls:CertificateFile, {Keys}Tls:KeyFile and {Keys}Tls:ClientCaFile.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> TlsProblems(ServiceTlsOptions tls)
    {
        (string Key, string? Path)[] files =
        [
            ("CertificateFile", tls.CertificateFile), ("KeyFile", tls.KeyFile), ("ClientCaFile", tls.ClientCaFile),
        ];
        foreach (var (key, path) in files)
        {
            if (string.IsNullOrEmpty(path))
            {
                yield return $"{Keys}Tls:{key} is required when any {Keys}Tls setting is given.";
            }
            else if (!File.Exists(path))
            {
                yield return $"{Keys}Tls:{key} names a file that does not exist: {path}";
            }
        }
    }
}
