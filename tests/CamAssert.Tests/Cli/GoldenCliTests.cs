using CamAssert.Golden;
using CamAssert.Imaging;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cli;

public class GoldenCliTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Failing(string name)
    {
        var local = new GoldenEnvironment(false, false);
        GoldenStore.Check(TestHeatmaps.Blob(32, 32, 8, 8), _dir.Path, name, environment: new GoldenEnvironment(true, false));
        GoldenStore.Check(TestHeatmaps.Blob(32, 32, 24, 20), _dir.Path, name, environment: local);
    }

    [Fact]
    public void Accept_moves_received_files()
    {
        Failing("T.One");
        var r = CliRunner.Run("accept", _dir.Path);
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("1 golden file(s) accepted");
        Directory.GetFiles(_dir.Path, "*.received.*").Should().BeEmpty();
    }

    [Fact]
    public void Report_embeds_every_failure_with_metrics()
    {
        Failing("T.Report");
        var overlay = Overlay.Render(TestHeatmaps.Blob(16, 16, 4, 4).Values, 16, 16);
        overlay.Save(Path.Combine(_dir.Path, "m_backbone_class_1.overlay.png"), new Dictionary<string, string> { ["camassert:region"] = "box (x 0, y 0, 4×4)" });
        string html = _dir.File("report.html");
        var r = CliRunner.Run("report", _dir.Path, "--out", html);
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("1 failing golden file(s), 1 failure overlay(s)");
        var text = System.Net.WebUtility.HtmlDecode(File.ReadAllText(html));
        text.Should().Contain("T.Report").And.Contain("data:image/png;base64,").And.Contain("Pearson").And.Contain("box (x 0, y 0, 4×4)").And.Contain("camassert accept");
    }

    [BrowserFact]
    public void Report_renders_in_a_real_browser()
    {
        Failing("T.Browser");
        string html = _dir.File("report.html"), shot = _dir.File("report.png");
        CliRunner.Run("report", _dir.Path, "--out", html).ExitCode.Should().Be(0);
        HeadlessChromium.Screenshot(html, shot, _dir.File("profile"));
        var picture = CamImage.Load(shot);
        picture.Width.Should().Be(900);
        // The embedded jet-coloured pictures make the page colourful: some pixels are strongly blue or red.
        int colourful = 0;
        for (int y = 0; y < picture.Height; y++)
            for (int x = 0; x < picture.Width; x++)
                if (Math.Abs(picture[x, y, 0] - picture[x, y, 2]) > 0.5f) colourful++;
        colourful.Should().BeGreaterThan(1000, "the expected | actual | difference picture is visible in the rendered page");
    }
}
