using CamAssert.Golden;
using CamAssert.Suites;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Suites;

/// <summary>
/// Drift between model versions on the shapes fixtures: per-target numbers against PyTorch's, the default
/// gate passing every pair of benign retrains (three seeds) and failing the shortcut twin, and the golden set.
/// </summary>
public class DriftTests
{
    public static TheoryData<string, string> BenignPairs => new()
    {
        { "val", "shapes_seed1->shapes_seed3" }, { "val", "shapes_seed1->shapes_seed4" }, { "val", "shapes_seed3->shapes_seed4" },
        { "cued", "shapes_seed1->shapes_seed3" }, { "cued", "shapes_seed1->shapes_seed4" }, { "cued", "shapes_seed3->shapes_seed4" },
    };

    private static DriftReport Report(string set, string pair)
    {
        var (baseline, candidate) = (pair.Split("->")[0], pair.Split("->")[1]);
        return DriftReport.Between(SuiteFixtures.Model(baseline), SuiteFixtures.Model(candidate), set == "val" ? SuiteFixtures.Val : SuiteFixtures.Cued);
    }

    [Theory]
    [MemberData(nameof(BenignPairs))]
    public void The_default_gate_passes_benign_retrains(string set, string pair)
    {
        var report = Report(set, pair);
        DriftGate.Default.Violations(report).Should().BeEmpty(report.Summary());
        var (baseline, candidate) = (pair.Split("->")[0], pair.Split("->")[1]);
        SuiteFixtures.Model(candidate).Should().NotDriftFrom(SuiteFixtures.Model(baseline), set == "val" ? SuiteFixtures.Val : SuiteFixtures.Cued);
    }

    [Theory]
    [InlineData("shapes_seed1")]
    [InlineData("shapes_seed3")]
    [InlineData("shapes_seed4")]
    public void The_default_gate_fails_the_shortcut_twin_on_the_cued_images_on_every_bound(string baseline)
    {
        var report = Report("cued", $"{baseline}->shapes_shortcut");
        DriftGate.Default.Violations(report).Should().HaveCount(6, "each bound alone catches the shortcut: {0}", report.Summary());
    }

    [Fact]
    public void Per_target_drift_equals_pytorchs_numbers()
    {
        foreach (var (set, pair) in new[] { ("val", "shapes_seed1->shapes_seed3"), ("cued", "shapes_seed1->shapes_shortcut") })
        {
            var report = Report(set, pair);
            var reference = SuiteFixtures.Objects(set);
            report.Targets.Should().HaveCount(reference.Count);
            for (int i = 0; i < reference.Count; i++)
            {
                var r = reference[i].GetProperty("pairs").GetProperty(pair);
                var t = report.Targets[i];
                t.Pearson.Should().BeApproximately(r.GetProperty("pearson").GetDouble(), 1e-4, t.Name);
                t.TopIoU.Should().BeApproximately(r.GetProperty("top_iou").GetDouble(), 0.02, t.Name);
                t.PeakShift.Should().BeApproximately(r.GetProperty("peak_shift").GetDouble(), 1e-9, t.Name);
                t.EnergyChange.Should().BeApproximately(r.GetProperty("energy_change").GetDouble(), 1e-4, t.Name);
            }
            var summary = SuiteFixtures.Summary(set, pair);
            report.Pearson.Median.Should().BeApproximately(summary.GetProperty("pearson_median").GetDouble(), 1e-4);
            report.Pearson.Percentile(10).Should().BeApproximately(summary.GetProperty("pearson_p10").GetDouble(), 1e-4, "percentiles interpolate as NumPy's");
            report.PointingDrop.Should().BeApproximately(summary.GetProperty("pointing_baseline").GetDouble() - summary.GetProperty("pointing_candidate").GetDouble(), 1e-9);
        }
    }

    [Fact]
    public void A_drift_failure_gives_the_bounds_broken_the_distributions_and_the_worst_pictures()
    {
        var act = () => SuiteFixtures.Model("shapes_shortcut").Should().NotDriftFrom(SuiteFixtures.Model("shapes_seed1"), SuiteFixtures.Cued);
        var message = act.Should().Throw<Exception>().Which.Message;
        message.Should().Contain("Expected model shapes_shortcut.onnx not to drift from model shapes.onnx over set 'cued'")
            .And.Contain("median Pearson -0.1").And.Contain("< 0.750")
            .And.Contain("pointing game dropped 0.867 (0.867 → 0.000)")
            .And.Contain("Worst 5: ").And.Contain("expected | actual | difference: ");
        var picture = System.Text.RegularExpressions.Regex.Match(message, @"difference: ([^)]+\.diff\.png)").Groups[1].Value;
        File.Exists(picture).Should().BeTrue(picture);
    }

    [Fact]
    public void The_per_image_golden_tolerance_fails_a_benign_retrain_on_most_targets()
    {
        // Why retrains need the drift gate: the exactness tolerance of MatchGolden rejects nearly every map of a benign retrain.
        var set = SuiteFixtures.Val;
        var a = SuiteFixtures.Model("shapes_seed1");
        var b = SuiteFixtures.Model("shapes_seed3");
        int failing = 0, total = 0;
        foreach (var image in set.Images)
        {
            var pixels = image.Load();
            foreach (var target in image.TargetsIn(new(pixels.Width, pixels.Height)))
            {
                var c = CamAssert.Heatmaps.HeatmapComparison.Of(a.GradCam(pixels, CamAssert.Cam.Target.Class(target.ClassName)).Values, b.GradCam(pixels, CamAssert.Cam.Target.Class(target.ClassName)).Values);
                total++;
                if (GoldenTolerance.Default.Violations(c).Count > 0) failing++;
            }
        }
        total.Should().Be(36);
        failing.Should().BeGreaterThanOrEqualTo(total * 9 / 10, "measured: 36 of 36 targets of seed 1 → seed 3 break the default tolerance");
    }

    [Fact]
    public void Percentiles_interpolate_between_order_statistics()
    {
        var d = new Distribution([4, 1, 3, 2]);
        d.Median.Should().Be(2.5);
        d.Percentile(10).Should().BeApproximately(1.3, 1e-12);
        d.Min.Should().Be(1);
    }

    [Fact]
    public void Golden_set_accepts_once_then_passes_a_benign_retrain_and_fails_the_shortcut()
    {
        using var dir = new TempFolder();
        var set = SuiteFixtures.Cued;
        var accept = new GoldenSet(Path.Combine(dir.Path, "cued"), new GoldenEnvironment(Accept: true, OnBuildServer: false));
        var check = new GoldenSet(accept.Directory, new GoldenEnvironment(Accept: false, OnBuildServer: true));

        var missing = DriftReport.AgainstGolden(check, SuiteFixtures.Model("shapes_seed1"), set);
        missing.Golden!.Missing.Should().HaveCount(15);
        Directory.GetFiles(accept.Directory, "*" + GoldenStore.ReceivedSuffix).Should().HaveCount(15);

        DriftReport.AgainstGolden(accept, SuiteFixtures.Model("shapes_seed1"), set).Golden!.Written.Should().HaveCount(15);
        var file = GoldenFile.Read(Path.Combine(accept.Directory, "cued_circle_1.circle" + GoldenStore.VerifiedSuffix));
        file.Metadata[GoldenFile.Keys.Model].Should().Be("shapes.onnx");

        var same = DriftReport.AgainstGolden(check, SuiteFixtures.Model("shapes_seed1"), set);
        same.Pearson.Min.Should().BeGreaterThan(0.99999, "the 16-bit golden file holds the map to 1/65535");
        DriftReport.AgainstGolden(check, SuiteFixtures.Model("shapes_seed3"), set).Should().Match<DriftReport>(r => DriftGate.Default.Violations(r).Count == 0);

        var shortcut = DriftReport.AgainstGolden(check, SuiteFixtures.Model("shapes_shortcut"), set);
        DriftGate.Default.Violations(shortcut).Should().NotBeEmpty();
        Directory.GetFiles(accept.Directory, "*" + GoldenStore.ReceivedSuffix).Should().HaveCount(15, "a failing gate writes the whole new set as received, for `camassert accept`");
        GoldenStore.AcceptAll(accept.Directory).Should().HaveCount(15);
        DriftGate.Default.Violations(DriftReport.AgainstGolden(check, SuiteFixtures.Model("shapes_shortcut"), set)).Should().BeEmpty("the shortcut's maps were accepted");
    }

    [Fact]
    public void NotDriftFromGolden_finds_the_sets_folder_and_says_how_to_accept()
    {
        using var dir = new TempFolder();
        var act = () => SuiteFixtures.Model("shapes_seed1").Should().NotDriftFromGolden(SuiteFixtures.Cued, goldenDirectory: dir.Path);
        act.Should().Throw<Exception>().Which.Message.Should().Contain("there are no golden maps yet: 15 missing in " + Path.Combine(dir.Path, "cued"))
            .And.Contain("CAMASSERT_ACCEPT=1");
    }
}
