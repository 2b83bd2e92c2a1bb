using CamAssert.Golden;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Golden;

public class GoldenStoreTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private static readonly GoldenEnvironment Local = new(Accept: false, OnBuildServer: false);
    private static readonly GoldenEnvironment Accepting = new(Accept: true, OnBuildServer: false);
    private static readonly GoldenEnvironment Ci = new(Accept: true, OnBuildServer: true);

    public void Dispose() => _dir.Dispose();

    private static CamAssert.Heatmaps.Heatmap Map(double x = 10, double y = 10) => TestHeatmaps.Blob(32, 32, x, y);

    [Fact]
    public void New_map_writes_received_and_diff_and_fails_with_how_to_accept()
    {
        var r = GoldenStore.Check(Map(), _dir.Path, "T.New", environment: Local);
        r.Outcome.Should().Be(GoldenOutcome.Missing);
        r.Passed.Should().BeFalse();
        File.Exists(r.ReceivedPath).Should().BeTrue();
        File.Exists(r.DiffPath).Should().BeTrue();
        File.Exists(r.VerifiedPath).Should().BeFalse();
        r.Message.Should().Contain("There is no golden file").And.Contain("T.New.verified.png").And.Contain("camassert accept").And.Contain("CAMASSERT_ACCEPT=1");
    }

    [Fact]
    public void MatchGolden_failure_reads_as_one_message()
    {
        string source = Path.Combine(_dir.Path, "ShapesTests.cs");
        var act = () => Map().Should().MatchGolden(sourceFile: source, testMethod: "Circle_is_seen");
        var message = act.Should().Throw<Exception>().Which.Message;
        message.Should().MatchRegex(@"to match its golden file, but (there is no golden file|the map differs)")
            .And.Contain(". It is the gradcam map of class 'circle' at layer 'backbone' in shapes.onnx.")
            .And.NotContain("but There").And.NotContain(". it is");
    }

    [Fact]
    public void Accept_then_equal_passes_and_cleans_up()
    {
        GoldenStore.Check(Map(), _dir.Path, "T.Eq", environment: Accepting).Outcome.Should().Be(GoldenOutcome.Accepted);
        var again = GoldenStore.Check(Map(), _dir.Path, "T.Eq", environment: Local);
        again.Outcome.Should().Be(GoldenOutcome.Matched);
        again.Comparison!.MaxAbsDifference.Should().BeLessThan(1.0 / 65535 + 1e-9, "16-bit storage is the only loss");
        Directory.GetFiles(_dir.Path).Should().ContainSingle().Which.Should().EndWith("T.Eq.verified.png");
    }

    [Fact]
    public void Golden_file_is_a_16_bit_png_with_metadata()
    {
        GoldenStore.Check(Map(), _dir.Path, "T.Meta", environment: Accepting);
        var file = GoldenFile.Read(Path.Combine(_dir.Path, "T.Meta.verified.png"));
        file.Width.Should().Be(32);
        file.Metadata[GoldenFile.Keys.Layer].Should().Be("backbone");
        file.Metadata[GoldenFile.Keys.Method].Should().Be("gradcam");
        file.Metadata.Should().ContainKeys(GoldenFile.Keys.Model, GoldenFile.Keys.ModelSha256, GoldenFile.Keys.Target, GoldenFile.Keys.Version);
    }

    [Fact]
    public void Moved_peak_is_different_with_measured_reasons_and_pictures()
    {
        GoldenStore.Check(Map(8, 8), _dir.Path, "T.Moved", environment: Accepting);
        var r = GoldenStore.Check(Map(24, 24), _dir.Path, "T.Moved", environment: Local);
        r.Outcome.Should().Be(GoldenOutcome.Different);
        r.Message.Should().Contain("max |difference|").And.Contain("Pearson").And.Contain("Received:").And.Contain("expected | actual | difference");
        File.Exists(r.DiffPath).Should().BeTrue();
        CamAssert.Imaging.CamImage.Load(r.DiffPath!).Width.Should().Be(32 * 6 * 3 + 8, "three panels, enlarged 6× to be at least 192 px tall, with two 4-px gaps");
    }

    [Fact]
    public void Build_server_never_accepts_and_says_so()
    {
        var r = GoldenStore.Check(Map(), _dir.Path, "T.Ci", environment: Ci);
        r.Outcome.Should().Be(GoldenOutcome.Missing);
        r.Message.Should().Contain("build server").And.Contain("never created");
        File.Exists(r.VerifiedPath).Should().BeFalse();
    }

    [Fact]
    public void Changed_model_hash_is_reported()
    {
        GoldenStore.Check(Map(8, 8), _dir.Path, "T.Hash", environment: Accepting);
        var path = Path.Combine(_dir.Path, "T.Hash.verified.png");
        var golden = GoldenFile.Read(path);
        var meta = golden.Metadata.ToDictionary(p => p.Key, p => p.Value);
        meta[GoldenFile.Keys.ModelSha256] = new string('a', 64);
        (golden with { Metadata = meta }).Write(path);
        var moved = TestHeatmaps.Blob(32, 32, 24, 24);
        var r = GoldenStore.Check(WithHash(moved, new string('b', 64)), _dir.Path, "T.Hash", environment: Local);
        r.Message.Should().Contain("The model file changed since the golden was accepted").And.Contain("aaaaaaaaaaaa… → bbbbbbbbbbbb…")
            .And.Contain("judge a retrained model with the drift gate over a labelled set");
    }

    private static CamAssert.Heatmaps.Heatmap WithHash(CamAssert.Heatmaps.Heatmap h, string hash) =>
        new(h.Source with { ModelSha256 = hash }, h.LayerMap, h.LayerSize, h.Values, h.InputSize, h.ChannelWeights, h.ChannelContributions, h.DegenerateReason);

    [Fact]
    public void Accept_all_moves_received_to_verified()
    {
        GoldenStore.Check(Map(), _dir.Path, "T.A1", environment: Local);
        GoldenStore.Check(Map(), _dir.Path, "T.A2", environment: Local);
        GoldenStore.AcceptAll(_dir.Path).Select(Path.GetFileName).Should().Equal("T.A1.verified.png", "T.A2.verified.png");
        Directory.GetFiles(_dir.Path, "*.received.*").Should().BeEmpty();
        GoldenStore.Check(Map(), _dir.Path, "T.A1", environment: Local).Outcome.Should().Be(GoldenOutcome.Matched);
    }

    [Fact]
    public void Stale_received_files_are_removed_on_first_use()
    {
        string sub = Path.Combine(_dir.Path, "stale");
        Directory.CreateDirectory(sub);
        File.WriteAllText(Path.Combine(sub, "Old.Test.received.png"), "stale");
        GoldenStore.Check(Map(), sub, "T.S", environment: Accepting);
        File.Exists(Path.Combine(sub, "Old.Test.received.png")).Should().BeFalse();
    }

    [Fact]
    public void Parallel_checks_lose_and_corrupt_nothing()
    {
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            GoldenStore.Check(Map(4 + i % 8 * 3, 12), _dir.Path, $"T.P{i % 16}", environment: Accepting));
        var files = Directory.GetFiles(_dir.Path, "*.verified.png");
        files.Should().HaveCount(16);
        foreach (var f in files) GoldenFile.Read(f).Values.Should().HaveCount(32 * 32);
        Directory.GetFiles(_dir.Path, "*.tmp").Should().BeEmpty();
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("..")]
    public void Names_cannot_leave_the_golden_directory(string name)
    {
        string path = GoldenName.PathIn(_dir.Path, name, ".verified.png");
        Path.GetDirectoryName(path).Should().Be(Path.GetFullPath(_dir.Path));
    }

    [Fact]
    public void Golden_directory_is_the_nearest_golden_folder_above_the_source()
    {
        string root = Path.Combine(_dir.Path, "repo");
        Directory.CreateDirectory(Path.Combine(root, "golden"));
        Directory.CreateDirectory(Path.Combine(root, "tests", "Proj"));
        File.WriteAllText(Path.Combine(root, "tests", "Proj", "Proj.csproj"), "<Project/>");
        GoldenName.DirectoryFor(Path.Combine(root, "tests", "Proj", "ShapesTests.cs")).Should().Be(Path.Combine(root, "golden"));
        GoldenName.For("/x/ShapesTests.cs", "Circle", "shape=circle").Should().Be("ShapesTests.Circle_shape=circle");
    }
}
