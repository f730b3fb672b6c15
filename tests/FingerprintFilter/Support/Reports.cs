using Gateway.FingerprintFilter.Store;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>Store reports for store tests.</summary>
public static class Reports
{
    public static StoreReport Trusted(FingerprintState verdict, params string[] fingerprints) =>
        new(fingerprints, verdict, "admin", "admin", true, 1, "admin", TimeSpan.FromDays(30));

    public static StoreReport ByUser(
        string user, FingerprintState verdict, double weight, params string[] fingerprints) =>
        new(fingerprints, verdict, "user", "user:" + user, false, weight, "user:" + user, TimeSpan.FromDays(30));
}
