using System.Text.Json;
using CamAssert.Golden;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Golden;

/// <summary>
/// Every golden file committed in the repository reads back bit for bit what PIL reads from it
/// (tools/make_golden_readback.py wrote PIL's samples and text chunks to golden_readback.json),
/// and a written golden file is a 16-bit grayscale PNG that reads back to the same values.
/// </summary>
public class GoldenReadbackTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("images", "golden_readback.json"))).RootElement);

    public static TheoryData<string> Committed() => new(Expected.Value.EnumerateObject().Select(p => p.Name));

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CamAssert.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"No CamAssert.sln above '{AppContext.BaseDirectory}'.");
    }

    [Fact]
    public void Every_committed_golden_file_is_listed()
    {
        var onDisk = Directory.EnumerateFiles(RepositoryRoot(), "*.verified.png", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryRoot(), f).Replace('\\', '/'))
            .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && !f.StartsWith("tests/CamAssert.Examples/bin", StringComparison.Ordinal));
        Expected.Value.EnumerateObject().Select(p => p.Name).Should().Contain(onDisk, "tools/make_golden_readback.py must be run again when golden files are added");
    }

    [Theory]
    [MemberData(nameof(Committed))]
    public void A_committed_golden_file_reads_back_bit_for_bit(string file)
    {
        var e = Expected.Value.GetProperty(file);
        var golden = GoldenFile.Read(Path.Combine(RepositoryRoot(), file));
        (golden.Width, golden.Height).Should().Be((e.GetProperty("width").GetInt32(), e.GetProperty("height").GetInt32()));
        golden.Values.Should().Equal(e.GetProperty("samples").EnumerateArray().Select(v => v.GetInt32() / 65535f), "{0} holds these 16-bit samples (PIL)", file);
        foreach (var t in e.GetProperty("text").EnumerateObject())
            golden.Metadata.Should().Contain(t.Name, t.Value.GetString()!);
    }

    [Fact]
    public void A_written_golden_file_is_16_bit_gray_with_its_text_and_reads_back_exactly()
    {
        var rnd = new Random(5);
        var values = Enumerable.Range(0, 13 * 7).Select(_ => rnd.Next(65536) / 65535f).ToArray();
        var metadata = new Dictionary<string, string> { [GoldenFile.Keys.Layer] = "backbone.layer4", [GoldenFile.Keys.Target] = "class 3 (circle)" };
        string path = _dir.File("m.verified.png");

        new GoldenFile(values, 13, 7, metadata).Write(path);

        var bytes = File.ReadAllBytes(path);
        (bytes[24], bytes[25]).Should().Be(((byte)16, (byte)0), "IHDR says bit depth 16, colour type 0 (gray)");
        System.Text.Encoding.Latin1.GetString(bytes).Should().Contain("tEXtcamassert:layer\0backbone.layer4", "the provenance is in plain tEXt chunks");
        var back = GoldenFile.Read(path);
        back.Values.Should().Equal(values);
        back.Metadata.Should().Contain(metadata);
    }
}
