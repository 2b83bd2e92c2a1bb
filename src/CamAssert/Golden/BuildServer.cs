namespace CamAssert.Golden;

/// <summary>Whether tests run on a build server, where golden files are never accepted automatically.</summary>
public static class BuildServer
{
    private static readonly string[] Markers =
        ["TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "TEAMCITY_VERSION", "BUILDKITE", "APPVEYOR", "TRAVIS", "CIRCLECI", "BITBUCKET_BUILD_NUMBER"];

    /// <summary>True when <c>CI</c> is true/1 or a known build server's variable is set.</summary>
    public static bool IsDetected =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1")
        || Markers.Any(m => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(m)));

    /// <summary>True when <c>CAMASSERT_ACCEPT</c> asks to accept new and changed maps (ignored on a build server).</summary>
    public static bool AcceptRequested =>
        Environment.GetEnvironmentVariable("CAMASSERT_ACCEPT") is "1" or "true" or "TRUE" or "True";
}
