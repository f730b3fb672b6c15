using Gateway.Charts.Tests.Rendering;

namespace Gateway.Charts.Tests;

/// <summary>What the chart refuses, and the values it turns into specific objects and settings.</summary>
public sealed class ChartRenderingTests
{
    [Fact]
    public async Task Render_ChartDefaults_FailsOnce_NamingEveryRequiredValue()
    {
        var message = await ChartRenderer.RenderFailureAsync([]);

        Assert.Contains("global.domains must name at least one domain", message);
        Assert.Contains("kafka.bootstrapServers is required", message);
        Assert.Contains("redis.configuration is required", message);
        Assert.Contains("mtaEdge.delivery.target is required", message);
    }

    [Fact]
    public async Task Render_WithoutKafkaOrRedis_FailsNamingEach()
    {
        var kafka = await ChartRenderer.RenderFailureAsync(["ci/minimal-values.yaml"], ["kafka.bootstrapServers="]);
        var redis = await ChartRenderer.RenderFailureAsync(["ci/minimal-values.yaml"], ["redis.configuration="]);

        Assert.Contains("kafka.bootstrapServers is required", kafka);
        Assert.Contains("redis.configuration is required", redis);
    }

    [Fact]
    public async Task Render_ProxyProtocolWithoutTrustedCidrs_Fails()
    {
        var message = await ChartRenderer.RenderFailureAsync(["ci/minimal-values.yaml"],
            ["mtaEdge.proxyProtocol.enabled=true"]);

        Assert.Contains("trustedCidrs", message);
    }

    [Fact]
    public async Task Render_MessageTopicSmallerThanTheLargestMessage_Fails()
    {
        var message = await ChartRenderer.RenderFailureAsync(["ci/minimal-values.yaml"],
            ["mtaEdge.smtp.maxMessageBytes=41943040", @"kafka.topics.mail\.queued.maxMessageBytes=41943041"]);

        Assert.Contains("kafka.topics.mail.queued.maxMessageBytes (41943041)", message);
        Assert.Contains("must exceed mtaEdge.smtp.maxMessageBytes", message);
    }

    [Fact]
    public async Task Render_KubernetesOlderThanPreStopSleep_IsRefused()
    {
        var message = await ChartRenderer.RenderFailureAsync(["ci/minimal-values.yaml"], kubeVersion: "v1.29.8");

        Assert.Contains("kubeVersion", message);
    }

    [Fact]
    public async Task Render_PdbWithBothBounds_Fails()
    {
        var message = await ChartRenderer.RenderFailureAsync(["ci/minimal-values.yaml"],
            ["senderIntelligence.pdb.maxUnavailable=1"]);

        Assert.Contains("senderIntelligence.pdb: set exactly one of minAvailable and maxUnavailable", message);
    }

    [Fact]
    public async Task Edge_ListensUnprivileged_BehindPort25LoadBalancerKeepingClientAddresses()
    {
        var result = await ChartRenderer.RenderAsync("minimal");

        var service = result.Single("Service", "gw-gateway-mta-edge-smtp").Object;
        Assert.Equal("LoadBalancer", (string?)service["spec"]!["type"]);
        Assert.Equal("Local", (string?)service["spec"]!["externalTrafficPolicy"]);
        var port = service["spec"]!["ports"]![0]!;
        Assert.Equal(25, (int)port["port"]!);
        Assert.Equal("smtp", (string?)port["targetPort"]);

        var env = Workloads.Env(result, "gw-gateway-mta-edge");
        Assert.Equal("0.0.0.0:2525", env["Gateway__Smtp__Listen"]);
        Assert.Equal(2525, Workloads.ContainerPort(result, "gw-gateway-mta-edge", "smtp"));
    }

    [Fact]
    public async Task Edge_GracePeriod_CoversPreStopDrainDeadlineAndHostStop()
    {
        var result = await ChartRenderer.RenderAsync("full");

        var pod = Workloads.PodSpec(result, "gw-gateway-mta-edge");
        var env = Workloads.Env(result, "gw-gateway-mta-edge");
        var preStop = (int)pod["containers"]![0]!["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!;
        var drain = TimeSpan.Parse(env["Gateway__Smtp__ShutdownGrace"], System.Globalization.CultureInfo.InvariantCulture);
        var hostStop = int.Parse(env["DOTNET_SHUTDOWNTIMEOUTSECONDS"], System.Globalization.CultureInfo.InvariantCulture);
        var grace = (int)pod["terminationGracePeriodSeconds"]!;

        // full-values: preStop 15 s, sessions drain 60 s, host margin 15 s.
        Assert.Equal(15, preStop);
        Assert.Equal(TimeSpan.FromSeconds(60), drain);
        Assert.Equal(75, hostStop);
        Assert.True(hostStop >= drain.TotalSeconds, "the host must outlive the session drain");
        Assert.True(grace > preStop + hostStop, $"grace {grace}s must exceed preStop {preStop}s + host stop {hostStop}s");
    }

    [Fact]
    public async Task Edge_ProxyProtocol_OnlyProxyListener_AndNetworkPolicyAdmitsOnlyTheTrustedCidrs()
    {
        var result = await ChartRenderer.RenderAsync("full");

        var env = Workloads.Env(result, "gw-gateway-mta-edge");
        Assert.Equal("", env["Gateway__Smtp__Listen"]);
        Assert.Equal("0.0.0.0:2525", env["Gateway__Smtp__ProxyListen"]);
        Assert.Equal("10.0.0.0/16", env["Gateway__Smtp__ProxyTrustedNetworks__0"]);
        Assert.Equal("fd00:10::/64", env["Gateway__Smtp__ProxyTrustedNetworks__1"]);

        var policy = result.Single("NetworkPolicy", "gw-gateway-mta-edge").Object;
        var smtpRule = policy["spec"]!["ingress"]!.AsArray()
            .Single(r => r!["ports"]!.AsArray().Any(p => (string?)p!["port"] == "smtp"))!;
        var cidrs = smtpRule["from"]!.AsArray().Select(f => (string?)f!["ipBlock"]!["cidr"]).ToList();
        Assert.Equal(["10.0.0.0/16", "fd00:10::/64"], cidrs);
    }

    [Fact]
    public async Task Edge_Ipv6ListenAddress_IsBracketed()
    {
        var result = await ChartRenderer.RenderAsync("edge-only");

        Assert.Equal("[::]:2525", Workloads.Env(result, "mx-gateway-mta-edge")["Gateway__Smtp__ProxyListen"]);
    }

    [Fact]
    public async Task InternalTiers_ReachableOnGrpcOnlyFromTheReleasesPods()
    {
        var result = await ChartRenderer.RenderAsync("minimal");

        foreach (var name in new[] { "gw-gateway-sender-intelligence", "gw-gateway-fingerprint-filter", "gw-gateway-retro-remediation" })
        {
            var rules = result.Single("NetworkPolicy", name).Object["spec"]!["ingress"]!.AsArray();
            var grpc = rules.Single(r => r!["ports"]!.AsArray().Any(p => (string?)p!["port"] == "grpc"))!;
            var from = Assert.Single(grpc["from"]!.AsArray())!;
            var labels = from["podSelector"]!["matchLabels"]!.AsObject();
            Assert.Equal("gw", (string?)labels["app.kubernetes.io/instance"]);
            Assert.Equal("gateway", (string?)labels["app.kubernetes.io/name"]);
            Assert.Null(from["namespaceSelector"]);
            Assert.DoesNotContain(rules, r => r!["ports"]!.AsArray().Any(p => (string?)p!["port"] == "smtp"));
        }
    }

    [Fact]
    public async Task Keda_ReplacesTheHpa_AndScalesOnTheConsumerGroupLag()
    {
        var result = await ChartRenderer.RenderAsync("full");

        Assert.DoesNotContain(result.OfKind("HorizontalPodAutoscaler"), h => h.Name == "gw-gateway-retro-remediation");
        Assert.Null(result.Single("Deployment", "gw-gateway-retro-remediation").Object["spec"]!["replicas"]);
        var scaled = result.Single("ScaledObject", "gw-gateway-retro-remediation").Object;
        var kafka = scaled["spec"]!["triggers"]!.AsArray().Where(t => (string?)t!["type"] == "kafka").ToList();
        Assert.Equal(["mx1.fingerprint.events", "mx1.mail.delivered"], kafka.Select(t => (string?)t!["metadata"]!["topic"]));
        Assert.All(kafka, t => Assert.Equal("gateway-remediation", (string?)t!["metadata"]!["consumerGroup"]));
        Assert.All(kafka, t => Assert.Equal("scram_sha512", (string?)t!["metadata"]!["sasl"]));
        Assert.All(kafka, t => Assert.Equal("gw-gateway-kafka", (string?)t!["authenticationRef"]!["name"]));
    }

    [Fact]
    public async Task Hpa_ScalesOnCpuAndPerPodSessions()
    {
        var result = await ChartRenderer.RenderAsync("full");

        var metrics = result.Single("HorizontalPodAutoscaler", "gw-gateway-mta-edge").Object["spec"]!["metrics"]!.AsArray();
        Assert.Contains(metrics, m => (string?)m!["type"] == "Resource" && (string?)m["resource"]!["name"] == "cpu");
        Assert.Contains(metrics, m => (string?)m!["type"] == "Pods"
            && (string?)m["pods"]!["metric"]!["name"] == "gateway_smtp_sessions_active");
    }

    [Fact]
    public async Task Secrets_AreReferencedNeverInlined_AndRedisPasswordIsComposedByKubernetes()
    {
        var result = await ChartRenderer.RenderAsync("full");

        Assert.Empty(result.OfKind("Secret"));
        var env = Workloads.EnvEntries(result, "gw-gateway-sender-intelligence");
        var names = env.Select(e => (string)e["name"]!).ToList();
        var password = names.IndexOf("GATEWAY_REDIS_PASSWORD");
        var configuration = names.IndexOf("Gateway__Redis__Configuration");
        Assert.True(password >= 0 && password < configuration, "the password variable must come first");
        Assert.Equal("redis-credentials", (string?)env[password]["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.EndsWith(",password=$(GATEWAY_REDIS_PASSWORD)", (string?)env[configuration]["value"]);
        Assert.Contains(env, e => (string?)e["name"] == "Gateway__Kafka__Client__sasl.password"
            && (string?)e["valueFrom"]!["secretKeyRef"]!["name"] == "kafka-credentials");
    }

    [Fact]
    public async Task OperatorConfig_BecomesEnvironment_TierOverGlobal_NumbersWithoutExponent()
    {
        var result = await ChartRenderer.RenderAsync("full");

        var edge = Workloads.Env(result, "gw-gateway-mta-edge");
        Assert.Equal("200", edge["Gateway__Smtp__MaxRecipients"]);
        Assert.Equal("00:00:02", edge["Gateway__Smtp__GreetingDelay"]);
        Assert.Equal("52428800", edge["Gateway__Smtp__MaxMessageBytes"]);
        Assert.Equal("mx1.", edge["Gateway__Kafka__TopicPrefix"]);
        Assert.Equal("lz4", edge["Gateway__Kafka__Client__compression.type"]);
        Assert.Equal("SASL_SSL", edge["Gateway__Kafka__Client__security.protocol"]);
        Assert.Equal("http://gw-gateway-sender-intelligence.mail.svc:8081", edge["Gateway__Cluster__SenderIntelligence__Address"]);
        Assert.Equal("00:00:02", edge["Gateway__Cluster__SenderIntelligence__Deadline"]);
        Assert.Equal("0.0.0.0:8081", edge["Gateway__Service__GrpcListen"]);
        Assert.Equal("0.0.0.0:8080", edge["Gateway__Service__HttpListen"]);

        // Message topics default to the largest message plus 1 MiB; retention in ms stays a whole number.
        var topics = Workloads.Env(result, "gw-gateway-kafka-topics", kind: "Job")["TOPICS"];
        Assert.Contains("mx1.mail.queued 24 3 1209600000 53477376", topics);
        Assert.Contains("mx1.mail.retry.3600s 12 3 604800000 53477376", topics);
        Assert.Contains("mx1.mail.delivered 12 3 172800000 1048576", topics);
        Assert.DoesNotContain("e+", topics);
    }

    [Fact]
    public async Task Images_UseRegistryTagAndDigest()
    {
        var result = await ChartRenderer.RenderAsync("full");

        Assert.Equal("registry.example.org/mail/gateway-mta-edge@sha256:4d1c2b9a8e7f60514233d1e2f3a4b5c6d7e8f90123456789abcdef0123456789",
            (string?)Workloads.PodSpec(result, "gw-gateway-mta-edge")["containers"]![0]!["image"]);
        Assert.Equal("registry.example.org/mail/gateway-fingerprint-filter:1.2.3",
            (string?)Workloads.PodSpec(result, "gw-gateway-fingerprint-filter")["containers"]![0]!["image"]);
        Assert.Equal("gateway-sender-intelligence:0.1.0",
            (string?)Workloads.PodSpec(await ChartRenderer.RenderAsync("minimal"), "gw-gateway-sender-intelligence")
                ["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task DevInstall_BundlesKafkaAndRedis_AndPointsEveryTierAtThem()
    {
        var result = await ChartRenderer.RenderAsync("dev");

        result.Single("StatefulSet", "gateway-kafka");
        result.Single("Deployment", "gateway-redis");
        foreach (var tier in new[] { "mta-edge", "sender-intelligence", "fingerprint-filter", "retro-remediation" })
        {
            var env = Workloads.Env(result, "gateway-" + tier);
            Assert.Equal("gateway-kafka:9092", env["Gateway__Kafka__BootstrapServers"]);
            Assert.Equal("gateway-redis:6379", env["Gateway__Redis__Configuration"]);
        }

        var job = result.Single("Job", "gateway-kafka-topics").Object;
        Assert.Equal("post-install,post-upgrade", (string?)job["metadata"]!["annotations"]!["helm.sh/hook"]);
        Assert.Contains("gateway.mail.queued 12 1 604800000 27262976", Workloads.Env(result, "gateway-kafka-topics", kind: "Job")["TOPICS"]);
        Assert.Equal("1", Workloads.Env(result, "gateway-mta-edge")["Gateway__Kafka__ReplicationFactor"]);
        Assert.Contains("dev install only", result.Notes);
    }

    [Fact]
    public async Task ExternalKafka_TopicsAreCreatedBeforeInstallAndUpgrade()
    {
        var result = await ChartRenderer.RenderAsync("full");

        var job = result.Single("Job", "gw-gateway-kafka-topics").Object;
        Assert.Equal("pre-install,pre-upgrade", (string?)job["metadata"]!["annotations"]!["helm.sh/hook"]);
        Assert.DoesNotContain(result.Manifests, m => m.Kind == "StatefulSet");
    }

    [Fact]
    public async Task DisabledTiers_RenderNothing_AndRulesWatchOnlyTheEnabledOnes()
    {
        var result = await ChartRenderer.RenderAsync("edge-only");

        Assert.Equal(["mx-gateway-mta-edge"], result.OfKind("Deployment").Select(d => d.Name));
        var env = Workloads.Env(result, "mx-gateway-mta-edge");
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("Gateway__Cluster__", StringComparison.Ordinal));
        var rules = result.Single("PrometheusRule", "mx-gateway").Object.ToJsonString();
        Assert.Contains("mx-gateway-(mta-edge)", rules);
        Assert.DoesNotContain("sender-intelligence", rules);
        Assert.Empty(result.OfKind("NetworkPolicy"));
    }

    [Fact]
    public async Task Notes_TellWhereMailEnters()
    {
        var result = await ChartRenderer.RenderAsync("minimal");

        Assert.Contains("service/gw-gateway-mta-edge-smtp (LoadBalancer, port 25)", result.Notes);
        Assert.Contains("mta-edge: deployment/gw-gateway-mta-edge (2 replicas)", result.Notes);
    }
}
