using System.Text.Json;
using CamAssert.Tests.Suites;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cli;

/// <summary><c>camassert eval</c> as a user runs it: gates and exit codes, JSON, golden sets, the HTML report in a real browser.</summary>
public sealed class EvalCliTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private static readonly string Good = Fixtures.Path_("shapes", "shapes.onnx"), Shortcut = Fixtures.Path_("shapes", "shapes_shortcut.onnx");
    private static readonly string Seed3 = SuiteFixtures.Dir("models", "shapes_seed3.onnx");
    private static readonly string Val = SuiteFixtures.Dir("val", "annotations.json"), Cued = SuiteFixtures.Dir("cued", "annotations.json");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Attention_gate_passes_the_good_model_and_json_carries_the_numbers()
    {
        var r = CliRunner.Run("eval", Good, Val, "--peak", "--rate", "0.85", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        using var json = JsonDocument.Parse(r.Out);
        var pointing = json.RootElement.GetProperty("attention").GetProperty("pointing_game");
        pointing.GetProperty("passed").GetInt32().Should().Be(32, "PyTorch's pointing game on val is 32 of 36");
        pointing.GetProperty("wilson_95")[0].GetDouble().Should().BeApproximately(0.747, 1e-3);
        json.RootElement.GetProperty("attention").GetProperty("targets").GetArrayLength().Should().Be(36);
        json.RootElement.GetProperty("drift").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Attention_gate_fails_per_class_with_exit_code_1()
    {
        var r = CliRunner.Run("eval", Good, SuiteFixtures.Dir("formats", "voc"), "--images", SuiteFixtures.Dir("val", "images"), "--peak", "--each-class", "--rate", "0.85");
        r.ExitCode.Should().Be(1, r.Out + r.Error);
        r.Out.Should().Contain("FAIL (below: square)").And.Contain("square").And.Contain("66.7% 8/12");
    }

    [Fact]
    public void Drift_gate_passes_a_benign_retrain_and_fails_the_shortcut()
    {
        var benign = CliRunner.Run("eval", Seed3, Cued, "--baseline", Good);
        benign.ExitCode.Should().Be(0, benign.Out + benign.Error);
        benign.Out.Should().Contain("gate:      drift: pass");
        var shortcut = CliRunner.Run("eval", Shortcut, Cued, "--baseline", Good);
        shortcut.ExitCode.Should().Be(1, shortcut.Out + shortcut.Error);
        shortcut.Out.Should().Contain("drift: FAIL: median Pearson -0.120 < 0.750").And.Contain("pointing game dropped 0.867");
    }

    [Fact]
    public void Golden_set_is_accepted_then_gates_the_next_model()
    {
        string golden = _dir.File("cued");
        var ci = new Dictionary<string, string?> { ["CI"] = null, ["CAMASSERT_ACCEPT"] = null };
        var missing = CliRunner.RunWith(ci, "eval", Good, Cued, "--golden", golden);
        missing.ExitCode.Should().Be(1);
        missing.Out.Should().Contain("15 golden maps are missing");
        var accepted = CliRunner.RunWith(ci, "eval", Good, Cued, "--golden", golden, "--accept");
        accepted.ExitCode.Should().Be(0, accepted.Out + accepted.Error);
        Directory.GetFiles(golden, "*.verified.png").Should().HaveCount(15);
        CliRunner.RunWith(ci, "eval", Seed3, Cued, "--golden", golden).ExitCode.Should().Be(0);
        var shortcut = CliRunner.RunWith(ci, "eval", Shortcut, Cued, "--golden", golden);
        shortcut.ExitCode.Should().Be(1);
        shortcut.Out.Should().Contain($"camassert accept {golden}");
        Directory.GetFiles(golden, "*.received.png").Should().HaveCount(15);
    }

    [Fact]
    public void Accept_is_refused_on_a_build_server()
    {
        var r = CliRunner.RunWith(new Dictionary<string, string?> { ["CI"] = "true" }, "eval", Good, Cued, "--golden", _dir.File("cued"), "--accept");
        r.ExitCode.Should().Be(1, "on a build server nothing is accepted and a missing golden fails");
        Directory.GetFiles(_dir.File("cued"), "*.verified.png").Should().BeEmpty();
    }

    [Fact]
    public void A_bad_annotation_is_a_one_line_error_with_exit_code_2()
    {
        File.WriteAllText(_dir.File("bad.json"), """{"images": [], "annotations": []}""");
        var r = CliRunner.Run("eval", Good, _dir.File("bad.json"));
        r.ExitCode.Should().Be(2);
        r.Error.Should().Contain("bad.json").And.Contain("there is no \"categories\" list");
    }

    [Fact]
    public void Html_report_embeds_the_tables_histogram_and_worst_pictures()
    {
        string html = _dir.File("report.html");
        CliRunner.Run("eval", Shortcut, Cued, "--baseline", Good, "--html", html).ExitCode.Should().Be(1);
        var text = File.ReadAllText(html);
        text.Should().Contain("<table id=\"targets\">").And.Contain("id=\"histogram\"").And.Contain("expected | actual | difference");
        System.Text.RegularExpressions.Regex.Matches(text, "data:image/png;base64,").Count.Should().Be(6);
        System.Text.RegularExpressions.Regex.Matches(text, "<tr><td>cued_").Count.Should().Be(15);
    }

    [Fact]
    public void Html_report_without_drift_shows_the_worst_targets_overlays()
    {
        string html = _dir.File("attention.html");
        CliRunner.Run("eval", Shortcut, Cued, "--peak", "--html", html).ExitCode.Should().Be(1);
        var text = File.ReadAllText(html);
        text.Should().Contain("Worst 6 targets").And.NotContain("id=\"histogram\"");
        System.Text.RegularExpressions.Regex.Matches(text, "data:image/png;base64,").Count.Should().Be(6);
    }

    [BrowserFact]
    public void Html_report_sorts_worst_first_in_a_real_browser()
    {
        string html = _dir.File("report.html"), shot = _dir.File("report.png");
        CliRunner.Run("eval", Shortcut, Cued, "--baseline", Good, "--html", html).ExitCode.Should().Be(1);
        string dom = HeadlessChromium.DumpDom(html, _dir.File("profile"));
        dom.Should().Contain("data-sorted=\"6 asc\"", "the script ran and sorted by Pearson");
        int first = dom.IndexOf("<tbody><tr><td>", StringComparison.Ordinal);
        dom.Substring(first, 60).Should().Contain("cued_square_3.png", "the lowest Pearson (-0.157, PyTorch) comes first");
        HeadlessChromium.Screenshot(html, shot, _dir.File("profile2"), 1000, 1400);
        var picture = CamAssert.Imaging.CamImage.Load(shot);
        int colourful = 0;
        for (int y = 0; y < picture.Height; y++)
            for (int x = 0; x < picture.Width; x++)
                if (Math.Abs(picture[x, y, 0] - picture[x, y, 2]) > 0.5f) colourful++;
        colourful.Should().BeGreaterThan(1000, "the expected | actual | difference pictures are visible");
    }
}
