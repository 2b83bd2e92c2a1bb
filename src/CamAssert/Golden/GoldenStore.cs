using System.Collections.Concurrent;
using CamAssert.Heatmaps;

namespace CamAssert.Golden;

/// <summary>What happened when a map was checked against its golden file.</summary>
public enum GoldenOutcome
{
    /// <summary>Equal within tolerance.</summary>
    Matched,
    /// <summary>No golden file existed, or it differed, and the map was accepted (CAMASSERT_ACCEPT, not on a build server).</summary>
    Accepted,
    /// <summary>No golden file exists; the map was written as received.</summary>
    Missing,
    /// <summary>The map differs beyond tolerance; received and diff pictures were written.</summary>
    Different,
}

/// <summary>The result of a golden check, with the files to look at.</summary>
public sealed record GoldenResult(GoldenOutcome Outcome, string Message, string VerifiedPath, string? ReceivedPath, string? DiffPath, HeatmapComparison? Comparison)
{
    /// <summary>Whether the test should pass.</summary>
    public bool Passed => Outcome is GoldenOutcome.Matched or GoldenOutcome.Accepted;
}

/// <summary>
/// The golden-file lifecycle, as Verify does it for text: stale <c>*.received.*</c> files are
/// removed the first time a directory is used in a process; a new or different map is written as
/// <c>.received.png</c> with a <c>.diff.png</c> beside it; accepting moves received to verified.
/// On a build server nothing is ever accepted and a missing golden fails.
/// </summary>
public static class GoldenStore
{
    private static readonly ConcurrentDictionary<string, bool> Cleaned = new();
    private static readonly ConcurrentDictionary<string, object> Locks = new();

    /// <summary>Suffix of accepted golden files.</summary>
    public const string VerifiedSuffix = ".verified.png";

    /// <summary>Suffix of maps awaiting review.</summary>
    public const string ReceivedSuffix = ".received.png";

    /// <summary>Suffix of the expected | actual | difference picture.</summary>
    public const string DiffSuffix = ".received.diff.png";

    /// <summary>Checks <paramref name="map"/> against <c>{baseName}.verified.png</c> in <paramref name="directory"/>.</summary>
    /// <param name="map">The map to check.</param>
    /// <param name="directory">The golden directory.</param>
    /// <param name="baseName">The file name without suffix.</param>
    /// <param name="tolerance">How much drift passes.</param>
    /// <param name="environment">Accept and build-server settings; default: read from the environment.</param>
    public static GoldenResult Check(Heatmap map, string directory, string baseName, GoldenTolerance? tolerance = null, GoldenEnvironment? environment = null)
    {
        tolerance ??= GoldenTolerance.Default;
        var env = environment ?? GoldenEnvironment.Current;
        Directory.CreateDirectory(directory);
        RemoveStaleReceived(directory);
        string verified = GoldenName.PathIn(directory, baseName, VerifiedSuffix);
        string received = GoldenName.PathIn(directory, baseName, ReceivedSuffix);
        string diff = GoldenName.PathIn(directory, baseName, DiffSuffix);
        var values = map.AtImageSize();
        var file = new GoldenFile(values, map.ImageWidth, map.ImageHeight, Metadata(map));
        bool accept = env.Accept && !env.OnBuildServer;

        lock (Locks.GetOrAdd(verified, _ => new object()))
        {
            if (!File.Exists(verified))
            {
                if (accept) { file.Write(verified); Delete(received, diff); return new(GoldenOutcome.Accepted, $"Accepted new golden file {verified}.", verified, null, null, null); }
                file.Write(received);
                GoldenPictures.Diff(null, values, map.ImageWidth, map.ImageHeight, map.Image).Save(diff);
                string how = env.OnBuildServer
                    ? "This is a build server (CI=true or a known build server), where golden files are never created: run the test locally, review the map, accept it and commit the .verified.png."
                    : $"Review it, then accept with `camassert accept {directory}` or by running the tests with CAMASSERT_ACCEPT=1.";
                if (!env.OnBuildServer) DiffTool.Launch(received, verified);
                return new(GoldenOutcome.Missing, $"There is no golden file {verified}. The map was written to {received} (picture: {diff}). {how}", verified, received, diff, null);
            }

            var expected = GoldenFile.Read(verified);
            string modelNote = expected.Metadata.TryGetValue(GoldenFile.Keys.ModelSha256, out var oldHash) && oldHash.Length > 0 && map.Source.ModelSha256.Length > 0 && oldHash != map.Source.ModelSha256
                ? $" The model file changed since the golden was accepted (SHA-256 {oldHash[..12]}… → {map.Source.ModelSha256[..12]}…): a retrained or re-exported model. This check is for exactness (engine, preprocessing, export); a retrain moves maps far more than its tolerance, so judge a retrained model with the drift gate over a labelled set (model.Should().NotDriftFrom / NotDriftFromGolden, or camassert eval), then accept the new maps."
                : "";
            if (expected.Width != file.Width || expected.Height != file.Height)
                return Differs(map, file, expected, null, $"the golden map is {expected.Width}×{expected.Height} but this one is {file.Width}×{file.Height}", modelNote, verified, received, diff, accept, env);
            var comparison = HeatmapComparison.Of(expected.Values, values);
            var violations = tolerance.Violations(comparison);
            if (violations.Count == 0)
            {
                Delete(received, diff);
                return new(GoldenOutcome.Matched, $"Matches {verified}.", verified, null, null, comparison);
            }
            return Differs(map, file, expected, comparison, string.Join("; ", violations), modelNote, verified, received, diff, accept, env);
        }
    }

    private static GoldenResult Differs(Heatmap map, GoldenFile file, GoldenFile expected, HeatmapComparison? comparison, string why, string modelNote,
        string verified, string received, string diff, bool accept, GoldenEnvironment env)
    {
        if (accept)
        {
            file.Write(verified);
            Delete(received, diff);
            return new(GoldenOutcome.Accepted, $"Accepted the changed map into {verified} ({why}).{modelNote}", verified, null, null, comparison);
        }
        file.Write(received);
        var picture = GoldenPictures.Diff(expected.Width == file.Width && expected.Height == file.Height ? expected.Values : null,
            file.Values, file.Width, file.Height, map.Image);
        picture.Save(diff);
        if (!env.OnBuildServer) DiffTool.Launch(received, verified);
        return new(GoldenOutcome.Different,
            $"The map differs from {verified}: {why}.{modelNote} Received: {received}; expected | actual | difference: {diff}. " +
            $"If the change is intended, accept it with `camassert accept {Path.GetDirectoryName(verified)}` or CAMASSERT_ACCEPT=1.",
            verified, received, diff, comparison);
    }

    internal static Dictionary<string, string> Metadata(Heatmap map)
    {
        var metadata = Provenance(map);
        if (map.Image?.Provenance is { } image) metadata[GoldenFile.Keys.Image] = $"{Path.GetFileName(map.Image.Source)}: {image}";
        return metadata;
    }

    private static Dictionary<string, string> Provenance(Heatmap map) => new()
    {
        [GoldenFile.Keys.Model] = map.Model,
        [GoldenFile.Keys.ModelSha256] = map.Source.ModelSha256,
        [GoldenFile.Keys.Layer] = map.Layer,
        [GoldenFile.Keys.Method] = Cam.CamMethods.Name(map.Method),
        [GoldenFile.Keys.Target] = map.Target,
        [GoldenFile.Keys.Version] = typeof(GoldenStore).Assembly.GetName().Version?.ToString(3) ?? "0",
    };

    /// <summary>Deletes <c>*.received.*</c> left by an earlier run, once per directory per process.</summary>
    private static void RemoveStaleReceived(string directory)
    {
        if (!Cleaned.TryAdd(Path.GetFullPath(directory), true)) return;
        foreach (var stale in Directory.EnumerateFiles(directory, "*.received.*"))
            try { File.Delete(stale); } catch (IOException) { }
    }

    /// <summary>Moves every received map under <paramref name="directory"/> (recursively) to its verified name; returns the accepted files.</summary>
    public static IReadOnlyList<string> AcceptAll(string directory)
    {
        var accepted = new List<string>();
        if (!Directory.Exists(directory)) return accepted;
        foreach (var received in Directory.EnumerateFiles(directory, "*" + ReceivedSuffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string verified = received[..^ReceivedSuffix.Length] + VerifiedSuffix;
            File.Move(received, verified, overwrite: true);
            Delete(received[..^ReceivedSuffix.Length] + DiffSuffix);
            accepted.Add(verified);
        }
        return accepted;
    }

    private static void Delete(params string[] paths)
    {
        foreach (var p in paths) try { if (File.Exists(p)) File.Delete(p); } catch (IOException) { }
    }
}

/// <summary>Whether maps are accepted and whether this is a build server.</summary>
/// <param name="Accept">Accept new and changed maps (CAMASSERT_ACCEPT=1).</param>
/// <param name="OnBuildServer">Running on a build server (CI=true or a known server): never accept, a missing golden fails.</param>
public sealed record GoldenEnvironment(bool Accept, bool OnBuildServer)
{
    /// <summary>From the environment variables.</summary>
    public static GoldenEnvironment Current => new(BuildServer.AcceptRequested, BuildServer.IsDetected);
}

/// <summary>Opens a diff tool on a failing golden, through DiffEngine, when one is installed and this is not a build server.</summary>
internal static class DiffTool
{
    public static void Launch(string received, string verified)
    {
        if (BuildServer.IsDetected || DiffEngine.DiffRunner.Disabled) return;
        try
        {
            if (!File.Exists(verified)) return; // DiffEngine compares two files; a new map has nothing to compare with.
            _ = DiffEngine.DiffRunner.LaunchAsync(received, verified);
        }
        catch (Exception) { /* a missing or failing diff tool must never fail the test */ }
    }
}
