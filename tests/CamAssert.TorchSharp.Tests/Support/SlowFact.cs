namespace CamAssert.TorchSharp.Tests.Support;

/// <summary>
/// A test that packs and builds a separate project (minutes, ~1 GB on disk): runs under CI
/// (<c>CI=true</c>, as <c>.ci/run</c> sets) or with <c>CAMASSERT_SLOW=1</c>, and is reported as
/// skipped otherwise, so the README's test command stays quick.
/// </summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        bool on = Environment.GetEnvironmentVariable("CI") is "true" or "1" || Environment.GetEnvironmentVariable("CAMASSERT_SLOW") is "1";
        if (!on) Skip = "Packs and builds a consumer project (minutes); runs with CI=true or CAMASSERT_SLOW=1.";
    }
}
