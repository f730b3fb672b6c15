using System.Security.Cryptography;
using Gateway.FingerprintFilter.Sharing;
using Gateway.V1;
using Google.Protobuf;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Sharing;

public sealed class FeedSigningTests
{
    private static FeedBatch Batch() => new()
    {
        FromWatermark = 0,
        ToWatermark = 1,
        Events = { new FingerprintEvent { EventId = "e1", Kind = FingerprintEventKind.Convicted, Sequence = 1 } },
    };

    private static ECDsa PublicOf(ECDsa key)
    {
        var copy = ECDsa.Create();
        copy.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return copy;
    }

    [Fact]
    public void Verify_BatchSignedByThePeersKey_ReturnsIt()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new FeedSigner(key, "site-a");
        using var verifier = new FeedVerifier("site-a", PublicOf(key));

        var batch = verifier.Verify(signer.Sign(Batch()));

        Assert.Equal("site-a", batch.SiteId);
        Assert.Equal("e1", Assert.Single(batch.Events).EventId);
    }

    [Fact]
    public void Verify_TamperedBatch_IsRefused()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new FeedSigner(key, "site-a");
        using var verifier = new FeedVerifier("site-a", PublicOf(key));
        var signed = signer.Sign(Batch());
        var bytes = signed.Batch.ToByteArray();
        bytes[^1] ^= 1;
        signed.Batch = ByteString.CopyFrom(bytes);

        Assert.Throws<FeedVerificationException>(() => verifier.Verify(signed));
    }

    [Fact]
    public void Verify_BatchSignedByAnotherKey_IsRefusedByKeyId()
    {
        using var signer = new FeedSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256), "site-a");
        using var verifier = new FeedVerifier("site-a", PublicOf(ECDsa.Create(ECCurve.NamedCurves.nistP256)));

        var error = Assert.Throws<FeedVerificationException>(() => verifier.Verify(signer.Sign(Batch())));

        Assert.Contains("key", error.Message);
    }

    [Fact]
    public void Verify_PeersKeyButAnotherSiteNamedInside_IsRefused()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new FeedSigner(key, "site-evil");
        using var verifier = new FeedVerifier("site-a", PublicOf(key));

        Assert.Throws<FeedVerificationException>(() => verifier.Verify(signer.Sign(Batch())));
    }

    [Fact]
    public void FeedSigner_NotP256_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new FeedSigner(ECDsa.Create(ECCurve.NamedCurves.nistP384), "site-a"));
    }

    [Fact]
    public void PemFiles_PrivateForSigningPublicForVerifying_RoundTrip()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var privatePath = Path.GetTempFileName();
        try
        {
            File.WriteAllText(privatePath, key.ExportPkcs8PrivateKeyPem());
            using var signer = FeedSigner.FromPemFile(privatePath, "site-a");
            using var verifier = new FeedVerifier(
                "site-a", FeedKeys.PublicKeyFrom(key.ExportSubjectPublicKeyInfoPem()));

            Assert.Equal(FeedKeys.KeyIdOf(key), signer.KeyId);
            Assert.Equal(32, signer.KeyId.Length);
            Assert.NotNull(verifier.Verify(signer.Sign(Batch())));
        }
        finally
        {
            File.Delete(privatePath);
        }
    }

    [Fact]
    public void FeedFile_WriteThenRead_GivesTheSameBatches()
    {
        using var signer = new FeedSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256), "site-a");
        var batches = Enumerable.Range(0, 3).Select(_ => signer.Sign(Batch())).ToList();
        using var file = new MemoryStream();

        FeedFile.Write(file, batches);
        file.Position = 0;

        Assert.Equal(batches, FeedFile.Read(file).ToList());
    }

    [Fact]
    public void FeedFile_Truncated_ThrowsInvalidData()
    {
        using var signer = new FeedSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256), "site-a");
        using var file = new MemoryStream();
        FeedFile.Write(file, [signer.Sign(Batch())]);
        using var truncated = new MemoryStream(file.ToArray()[..^5]);

        Assert.Throws<InvalidDataException>(() => FeedFile.Read(truncated).ToList());
    }
}
