using System.IO.Compression;

namespace CamAssert.Tests.Support;

/// <summary>Paths of the committed fixtures (tests/fixtures, copied beside the test assembly).</summary>
internal static class Fixtures
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Path_(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The model directories of the parity zoo.</summary>
    public static IEnumerable<string> ZooModels() =>
        Directory.Exists(Path.Combine(Root, "parity"))
            ? Directory.GetDirectories(Path.Combine(Root, "parity")).Where(d => File.Exists(Path.Combine(d, "model.onnx"))).Select(Path.GetFileName).Order()!
            : [];

    private static readonly object Gate = new();

    /// <summary>A gzip-compressed fixture model, decompressed once into the temp folder.</summary>
    public static string Unzipped(string gzRelative)
    {
        string source = Path.Combine(Root, gzRelative);
        string target = Path.Combine(Path.GetTempPath(), "camassert-fixtures", Path.GetFileNameWithoutExtension(gzRelative));
        lock (Gate)
        {
            if (File.Exists(target) && File.GetLastWriteTimeUtc(target) >= File.GetLastWriteTimeUtc(source)) return target;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var input = new GZipStream(File.OpenRead(source), CompressionMode.Decompress);
            using var output = File.Create(target + ".tmp");
            input.CopyTo(output);
        }
        File.Move(target + ".tmp", target, overwrite: true);
        return target;
    }
}
