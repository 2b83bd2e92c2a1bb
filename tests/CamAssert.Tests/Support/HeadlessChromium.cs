using System.Diagnostics;
using CamAssert.Golden;

namespace CamAssert.Tests.Support;

/// <summary>
/// A test that needs a real browser: it runs where Chromium is installed and on every build server
/// (CI=true, where a missing browser fails the test); on a developer machine without Chromium it is
/// skipped, with the reason and the command that installs it.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!HeadlessChromium.IsInstalled && !BuildServer.IsDetected)
            Skip = $"Chromium is not installed ({HeadlessChromium.Binary}): this browser check runs in CI, where .ci/run installs it. To run it here: apt-get install chromium";
    }
}

/// <summary>Renders a page in headless Chromium with the flags this machine's closed network needs.</summary>
internal static class HeadlessChromium
{
    public const string Binary = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(Binary);

    /// <summary>The page's DOM after its scripts ran (<c>--dump-dom</c>).</summary>
    public static string DumpDom(string html, string profileDir)
    {
        IsInstalled.Should().BeTrue($"the report is checked in headless Chromium, and this is a build server; .ci/run installs it (apt-get install chromium), and {Binary} is missing");
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in Flags(profileDir).Append("--dump-dom").Append("file://" + html)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var dom = p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
        p.WaitForExit(600_000).Should().BeTrue("chromium should not hang (10 minutes is a hang guard, not a speed check)");
        return dom.Result;
    }

    private static IEnumerable<string> Flags(string profileDir) =>
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", $"--user-data-dir={profileDir}"];

    /// <summary>Renders <paramref name="html"/> at <paramref name="width"/>×<paramref name="height"/> and saves a PNG screenshot.</summary>
    public static void Screenshot(string html, string png, string profileDir, int width = 900, int height = 700)
    {
        IsInstalled.Should().BeTrue($"the report is checked in headless Chromium, and this is a build server; .ci/run installs it (apt-get install chromium), and {Binary} is missing");
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in Flags(profileDir).Concat([$"--window-size={width},{height}", $"--screenshot={png}", "file://" + html]))
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
        p.WaitForExit(600_000).Should().BeTrue("chromium should not hang (10 minutes is a hang guard, not a speed check)");
        File.Exists(png).Should().BeTrue($"chromium should have written the screenshot {png}");
    }
}
