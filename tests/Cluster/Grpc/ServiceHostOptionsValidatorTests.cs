using Gateway.ClusterCommon.Hosting;

namespace Gateway.Cluster.Tests.Grpc;

/// <summary>Start-up rules of a cluster service's listeners: who may listen unauthenticated, and well-formed
/// token and TLS settings.</summary>
public sealed class ServiceHostOptionsValidatorTests
{
    private readonly ServiceHostOptionsValidator _validator = new();

    [Theory]
    [InlineData("127.0.0.1:7102")]
    [InlineData("[::1]:7102")]
    [InlineData("localhost:7102")]
    public void Validate_LoopbackWithoutAuthentication_Passes(string listen) =>
        Assert.True(_validator.Validate(null, Options(listen)).Succeeded);

    [Theory]
    [InlineData("0.0.0.0:7102")]
    [InlineData("*:7102")]
    [InlineData("10.1.2.3:7102")]
    [InlineData("[::]:7102")]
    public void Validate_NonLoopbackWithoutAuthentication_FailsNamingTheKeys(string listen)
    {
        var result = _validator.Validate(null, Options(listen));

        Assert.True(result.Failed);
        Assert.Contains("Gateway:Service:GrpcTokenFile", result.FailureMessage);
        Assert.Contains("Gateway:Service:Tls:CertificateFile", result.FailureMessage);
    }

    [Fact]
    public void Validate_NonLoopbackWithTokenFile_Passes()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "a-long-enough-shared-token\n");
            var options = Options("0.0.0.0:7102");
            options.GrpcTokenFile = file;

            Assert.True(_validator.Validate(null, options).Succeeded);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Validate_TokenProblems_FailEachWithItsKey()
    {
        var shortToken = Options("0.0.0.0:7102");
        shortToken.GrpcToken = "short";
        var both = Options("0.0.0.0:7102");
        both.GrpcToken = "a-long-enough-shared-token";
        both.GrpcTokenFile = "/etc/hostname";
        var missingFile = Options("0.0.0.0:7102");
        missingFile.GrpcTokenFile = "/nonexistent/gateway-token";

        Assert.Contains("Gateway:Service:GrpcToken:", _validator.Validate(null, shortToken).FailureMessage);
        Assert.Contains("not both", _validator.Validate(null, both).FailureMessage);
        Assert.Contains("Gateway:Service:GrpcTokenFile:", _validator.Validate(null, missingFile).FailureMessage);
    }

    [Fact]
    public void Validate_PartialTls_FailsNamingTheMissingFiles()
    {
        var options = Options("0.0.0.0:7102");
        options.Tls.CertificateFile = "/nonexistent/server.crt";

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Gateway:Service:Tls:CertificateFile names a file that does not exist", result.FailureMessage);
        Assert.Contains("Gateway:Service:Tls:KeyFile is required", result.FailureMessage);
        Assert.Contains("Gateway:Service:Tls:ClientCaFile is required", result.FailureMessage);
    }

    private static ServiceHostOptions Options(string grpcListen) =>
        new() { GrpcListen = grpcListen, HttpListen = "127.0.0.1:8102" };
}
