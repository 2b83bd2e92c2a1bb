using System.Diagnostics;

namespace CamAssert.Tests.Shared;

/// <summary>
/// Runs the dotnet CLI for tests that pack packages and build a consumer project (linked into
/// each test project that does so).
/// </summary>
internal static class DotnetCli
{
    /// <summary>The repository root: the folder holding CamAssert.sln above the test assembly.</summary>
    public static string Repo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CamAssert.sln"))) return d.FullName;
        throw new InvalidOperationException("CamAssert.sln not found above the test assembly");
    }

    /// <summary>The configuration the tests were built in, for packing the same.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>
    /// Runs <c>dotnet args</c> in <paramref name="dir"/>; exit code and all output. Gives up after
    /// <paramref name="minutes"/>. Commands run in the repository (packing) build its projects into
    /// their shared obj/ folders, and test projects run in parallel processes: those take a
    /// machine-wide lock, one at a time.
    /// </summary>
    public static (int Code, string Output) Run(string dir, string[] args, int minutes = 10)
    {
        if (Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar) != Repo()) return Start(dir, args, minutes);
        using var gate = new Mutex(false, "CamAssert.Tests.RepositoryBuild");
        bool owned;
        try { owned = gate.WaitOne(TimeSpan.FromMinutes(2 * minutes)); }
        catch (AbandonedMutexException) { owned = true; }   // the holder died; its build is over and the lock is ours
        if (!owned) throw new TimeoutException($"Another test process held the repository build lock for {2 * minutes} minutes; dotnet {string.Join(' ', args)} did not start.");
        try { return Start(dir, args, minutes); }
        finally { gate.ReleaseMutex(); }
    }

    private static (int Code, string Output) Start(string dir, string[] args, int minutes)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(minutes))) { p.Kill(true); throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in {minutes} minutes"); }
        return (p.ExitCode, output.Result + error.Result);
    }
}
