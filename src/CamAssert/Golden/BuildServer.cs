namespace CamAssert.Golden;

/// <summary>Whether tests run on a build server, where golden files are never accepted automatically.</summary>
public static class BuildServer
{
    /// <summary>
    /// True on a build server: DiffEngine's <see cref="DiffEngine.BuildServerDetector"/> (Azure Pipelines,
    /// GitHub Actions, GitLab, Jenkins, TeamCity, AppVeyor, Travis, Bitbucket, GoCD, MyGet), or the
    /// generic <c>CI=true</c> / <c>CI=1</c> that most other servers set.
    /// </summary>
    public static bool IsDetected =>
        DiffEngine.BuildServerDetector.Detected
        || Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>True when <c>CAMASSERT_ACCEPT</c> asks to accept new and changed maps (ignored on a build server).</summary>
    public static bool AcceptRequested =>
        Environment.GetEnvironmentVariable("CAMASSERT_ACCEPT") is "1" or "true" or "TRUE" or "True";
}
