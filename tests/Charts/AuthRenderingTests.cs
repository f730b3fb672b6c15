using System.Text;
using System.Text.Json.Nodes;
using Gateway.Charts.Tests.Rendering;

namespace Gateway.Charts.Tests;

/// <summary>
/// The tokens the pods authenticate with (they listen on 0.0.0.0, where the services refuse to start without
/// them): every tier gets the gRPC token as a mounted file, the edge also the admin token, and no token value
/// is ever written into an environment variable or any object but its Secret.
/// </summary>
public sealed class AuthRenderingTests
{
    private const string AuthDir = "/etc/gateway/auth";

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task EveryTier_HasTheGrpcTokenFileMountedAndConfigured(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);
        var secretName = ExpectedSecretName(result);
        var tiers = result.OfKind("Deployment").Where(IsTier).ToList();

        Assert.NotEmpty(tiers);
        foreach (var tier in tiers)
        {
            var env = Workloads.Env(result, tier.Name);
            Assert.Equal($"{AuthDir}/grpc-token", env.GetValueOrDefault("Gateway__Service__GrpcTokenFile"));
            var volume = AuthVolume(tier);
            Assert.Equal(secretName, (string?)volume["secret"]!["secretName"]);
            var paths = volume["secret"]!["items"]!.AsArray().Select(i => (string?)i!["path"]).ToList();
            Assert.Contains("grpc-token", paths);
            var mount = Workloads.Containers(tier).First()["volumeMounts"]!.AsArray()
                .Single(m => (string?)m!["name"] == "auth")!;
            Assert.Equal(AuthDir, (string?)mount["mountPath"]);
            Assert.True((bool?)mount["readOnly"]);
            Assert.Null(mount["subPath"]);

            // The edge serves the admin API (its gRPC clients send the service's token); the others get no
            // admin token.
            if (tier.Name.EndsWith("-mta-edge", StringComparison.Ordinal))
            {
                Assert.Equal($"{AuthDir}/admin-token", env.GetValueOrDefault("Gateway__Admin__TokenFile"));
                Assert.Contains("admin-token", paths);
            }
            else
            {
                Assert.DoesNotContain("admin-token", paths);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task Tokens_AppearOnlyInTheirSecret_NeverInAnEnvironment(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);

        // With an existing Secret the chart holds no token values at all.
        var secret = result.OfKind("Secret").SingleOrDefault(s => s.Name == ExpectedSecretName(result));
        var tokens = secret?.Object["data"]!.AsObject()
            .Select(kv => Encoding.UTF8.GetString(Convert.FromBase64String((string)kv.Value!))).ToList() ?? [];
        if (secret is not null)
        {
            Assert.Equal(2, tokens.Count);
            Assert.All(tokens, t => Assert.True(t.Length >= 16, "a generated token is shorter than services allow"));
            Assert.NotEqual(tokens[0], tokens[1]);
        }

        foreach (var manifest in result.Manifests.Where(m => m != secret))
        {
            var text = manifest.Object.ToJsonString();
            Assert.All(tokens, t => Assert.DoesNotContain(t, text));
            Assert.All(tokens, t => Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(t)), text));
        }

        foreach (var workload in Workloads.All(result))
        {
            foreach (var entry in Workloads.Containers(workload).SelectMany(c => c["env"]?.AsArray() ?? []))
            {
                var name = (string)entry!["name"]!;
                Assert.False(name.EndsWith("Token", StringComparison.OrdinalIgnoreCase),
                    $"{workload}: {name} puts a token in the environment; mount it and set the *TokenFile key");
                Assert.NotEqual(ExpectedSecretName(result), (string?)entry["valueFrom"]?["secretKeyRef"]?["name"]);
            }
        }
    }

    [Fact]
    public async Task ExistingSecret_IsMountedWithItsKeys_AndNoSecretIsRendered()
    {
        var result = await ChartRenderer.RenderAsync("existing-auth", ["ci/minimal-values.yaml"],
            ["auth.existingSecret=mail-tokens", "auth.grpcTokenKey=grpc", "auth.adminTokenKey=admin"]);

        Assert.Empty(result.OfKind("Secret").Where(s => s.Name.EndsWith("-auth", StringComparison.Ordinal)));
        var edge = AuthVolume(result.Single("Deployment", "gw-gateway-mta-edge"));
        Assert.Equal("mail-tokens", (string?)edge["secret"]!["secretName"]);
        var items = edge["secret"]!["items"]!.AsArray()
            .Select(i => ((string?)i!["key"], (string?)i["path"])).ToList();
        Assert.Equal([("grpc", "grpc-token"), ("admin", "admin-token")], items);
    }

    private static bool IsTier(RenderedManifest deployment) =>
        (string?)Workloads.PodLabels(deployment)["app.kubernetes.io/component"] is "mta-edge"
            or "sender-intelligence" or "fingerprint-filter" or "retro-remediation";

    private static string ExpectedSecretName(RenderResult result)
    {
        var existing = (string?)result.Values["auth"]!["existingSecret"];
        return string.IsNullOrEmpty(existing)
            ? result.OfKind("Secret").Single(s => s.Name.EndsWith("-auth", StringComparison.Ordinal)).Name
            : existing;
    }

    private static JsonObject AuthVolume(RenderedManifest workload) =>
        Workloads.PodSpec(workload)["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "auth")!.AsObject();
}
