using CamAssert.Golden;
using CamAssert.Heatmaps;
using CamAssert.Models;

namespace CamAssert.Suites;

/// <summary>
/// The accepted maps of a labelled set: one 16-bit golden PNG per image and target,
/// <c>{image}.{class}.verified.png</c> in <c>golden/&lt;set&gt;/</c>, in the format of <see cref="GoldenFile"/>.
/// A candidate is compared with them by the <see cref="DriftGate"/>, not pixel by pixel.
/// </summary>
/// <param name="Directory">The set's golden folder.</param>
/// <param name="Environment">Accept and build-server settings (default: from the environment, as for single golden files).</param>
public sealed record GoldenSet(string Directory, GoldenEnvironment? Environment = null)
{
    /// <summary>The set's golden folder beneath a test's golden directory: <c>golden/&lt;set name&gt;/</c>.</summary>
    public static GoldenSet For(LabelledSet set, string goldenDirectory, GoldenEnvironment? environment = null) =>
        new(Path.Combine(goldenDirectory, GoldenName.Sanitise(set.Name)), environment);

    /// <summary>Whether maps are accepted (CAMASSERT_ACCEPT=1 or an explicit accept, never on a build server).</summary>
    public bool Accept => (Environment ?? GoldenEnvironment.Current) is { Accept: true, OnBuildServer: false };

    /// <summary>The base name of a target's golden file: <c>circle_03.circle</c>.</summary>
    public static string NameOf(string image, string className) => GoldenName.Sanitise($"{Path.GetFileNameWithoutExtension(image)}.{className}");

    internal DriftReport Compare(CamModel candidate, LabelledSet set, SuiteOptions options, DriftGate gate)
    {
        SetRun.RequireClasses(candidate, set);
        System.IO.Directory.CreateDirectory(Directory);
        bool accept = Accept;
        var perImage = SetRun.PerImage(set, options, (index, image, pixels, targets) =>
        {
            var maps = SetRun.Maps(candidate, pixels, targets, options);
            var size = new MapSize(pixels.Width, pixels.Height);
            return targets.Select((t, k) => (Check(index, image, t, maps[k], size, accept), TargetAttention.Of(index, image, t, maps[k]))).ToArray();
        }).SelectMany(r => r).ToArray();
        var all = perImage.Select(r => r.Item1).ToArray();
        var attention = new SetAttention(candidate.Name, set, perImage.Select(r => r.Item2).ToArray());
        var check = new GoldenSetCheck(Directory, accept,
            all.Where(r => r.Outcome == GoldenOutcome.Missing).Select(r => r.Verified).ToArray(),
            all.Where(r => r.Outcome == GoldenOutcome.Accepted).Select(r => r.Verified).ToArray());
        var report = new DriftReport(Directory, candidate.Name, set, all.Where(r => r.Drift is not null).Select(r => r.Drift!).ToArray(), attention, check)
        {
            Maps = t => SetRun.Reload(set, t.ImageIndex, t.ClassName) is var (pixels, target)
                ? (GoldenFile.Read(GoldenName.PathIn(Directory, NameOf(t.Image, t.ClassName), GoldenStore.VerifiedSuffix)).Values, SetRun.Maps(candidate, pixels, [target], options)[0].AtImageSize(), pixels, target.BoxRegion)
                : default,
        };
        if (accept || report.Targets.Count == 0 || gate.Violations(report).Count == 0) DeleteReceived(all);
        return report;
    }

    private (GoldenOutcome Outcome, string Verified, TargetDrift? Drift) Check(int index, LabelledImage image, ImageTarget target, Heatmap map, MapSize size, bool accept)
    {
        string name = NameOf(image.Name, target.ClassName);
        string verified = GoldenName.PathIn(Directory, name, GoldenStore.VerifiedSuffix);
        var actual = new GoldenFile(map.AtImageSize(), size.Width, size.Height, GoldenStore.Metadata(map));
        if (accept)
        {
            actual.Write(verified);
            return (GoldenOutcome.Accepted, verified, null);
        }
        if (!File.Exists(verified))
        {
            actual.Write(GoldenName.PathIn(Directory, name, GoldenStore.ReceivedSuffix));
            return (GoldenOutcome.Missing, verified, null);
        }
        var expected = GoldenFile.Read(verified);
        if (expected.Width != size.Width || expected.Height != size.Height)
            throw new AnnotationException(verified, "", $"the golden map is {expected.Width}×{expected.Height} but image '{image.Name}' is {size}. Accept the set's maps again (CAMASSERT_ACCEPT=1, or camassert eval --golden {Directory} --accept).");
        // Written now, deleted if the gate passes: a failing gate leaves the whole new set as received for `camassert accept`, and no map is held in memory meanwhile.
        actual.Write(GoldenName.PathIn(Directory, name, GoldenStore.ReceivedSuffix));
        return (GoldenOutcome.Matched, verified, TargetDrift.Of(index, image, target, expected.Values, actual.Values, size));
    }

    /// <summary>A passing gate (or an accept) leaves no received map behind for the targets that have a golden map.</summary>
    private static void DeleteReceived(IEnumerable<(GoldenOutcome Outcome, string Verified, TargetDrift? Drift)> results)
    {
        foreach (var r in results.Where(r => r.Outcome is GoldenOutcome.Matched or GoldenOutcome.Accepted))
        {
            string received = r.Verified[..^GoldenStore.VerifiedSuffix.Length] + GoldenStore.ReceivedSuffix;
            try { if (File.Exists(received)) File.Delete(received); } catch (IOException) { }
        }
    }
}

/// <summary>What a golden-set comparison did with the files.</summary>
/// <param name="Directory">The set's golden folder.</param>
/// <param name="Accepted">Whether the run accepted the maps.</param>
/// <param name="Missing">Golden files that did not exist (written as received).</param>
/// <param name="Written">Golden files written by accepting.</param>
public sealed record GoldenSetCheck(string Directory, bool Accepted, IReadOnlyList<string> Missing, IReadOnlyList<string> Written);
