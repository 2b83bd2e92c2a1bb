using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using CamAssert.Imaging;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Imaging;

/// <summary>
/// What CamImage.Load promises for every format it reads: the files in fixtures/images/formats
/// (written by PIL, tools/make_image_fixtures.py) decode to PIL's pixels, exactly for lossless
/// formats and within a few levels for JPEG and lossy WebP (another decoder's IDCT); EXIF
/// orientation is applied; GIF gives its first frame; provenance says what the file held.
/// </summary>
public class ImageFormatTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("images", "formats", "expected.json"))).RootElement);

    public static TheoryData<string> Files() => new(Expected.Value.EnumerateObject().Select(p => p.Name));

    internal static string FormatFile(string name) => Fixtures.Path_("images", "formats", name);

    [Theory]
    [MemberData(nameof(Files))]
    public void Decodes_what_PIL_decodes(string file)
    {
        var e = Expected.Value.GetProperty(file);
        var image = CamImage.Load(FormatFile(file));
        (image.Width, image.Height).Should().Be((e.GetProperty("width").GetInt32(), e.GetProperty("height").GetInt32()), "{0} has PIL's size", file);
        image.Channels.Should().Be(e.GetProperty("channels").GetInt32(), "{0} keeps the channels it stores", file);
        int depth = e.GetProperty("depth").GetInt32();
        image.BitDepth.Should().Be(depth);
        float max = depth == 16 ? 65535f : 255f;
        var expected = e.GetProperty("samples").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var actual = image.Pixels.Select(p => (int)MathF.Round(p * max)).ToArray();
        if (!e.GetProperty("lossy").GetBoolean())
        {
            actual.Should().Equal(expected, "{0} is lossless, so every decoder gives the same samples", file);
            return;
        }
        var diffs = actual.Zip(expected, (a, b) => Math.Abs(a - b)).ToArray();
        // Measured (2026-12-02): JPEG max 16, mean < 2 levels on these 24×18 q92 files; lossy WebP exact.
        diffs.Max().Should().BeLessThanOrEqualTo(20, "ImageSharp's and libjpeg's IDCT and chroma upsampling differ by a few levels on {0} (mean {1:F2})", file, diffs.Average());
        diffs.Average().Should().BeLessThan(2.5, "most samples of {0} agree with PIL's to a level or two", file);
    }

    [Theory]
    [InlineData("rgb.png", "PNG", 3)]
    [InlineData("baseline.jpg", "JPEG", 3)]
    [InlineData("progressive.jpg", "JPEG", 3)]
    [InlineData("gray.jpg", "JPEG", 1)]
    [InlineData("rgb.bmp", "BMP", 3)]
    [InlineData("animated.gif", "GIF", 3)]
    [InlineData("lossless.webp", "Webp", 3)]
    [InlineData("rgb.tif", "TIFF", 3)]
    [InlineData("gray.pgm", "PBM", 1)]
    [InlineData("rgb.tga", "TGA", 3)]
    public void Provenance_names_the_format_and_what_the_model_gets(string file, string format, int channels)
    {
        var p = CamImage.Load(FormatFile(file)).Provenance;
        p.Should().NotBeNull();
        p!.Format.Should().Be(format);
        p.Channels.Should().Be(channels);
        p.ToString().Should().Contain(channels == 1 ? "gray (replicated to RGB for the model)" : "RGB");
    }

    [Fact]
    public void Exif_orientation_is_applied_and_said()
    {
        var image = CamImage.Load(FormatFile("orientation6.jpg"));
        (image.Width, image.Height).Should().Be((18, 24), "orientation 6 turns the 24×18 stored image upright");
        image.Provenance!.Orientation.Should().Be(6);
        image.Provenance.ToString().Should().Contain("EXIF orientation 6 applied");
    }

    [Fact]
    public void A_gif_gives_its_first_frame()
    {
        // The second frame is the first one inverted: the first is what PIL's Image.open shows.
        var first = CamImage.Load(FormatFile("animated.gif"));
        var png = CamImage.Load(FormatFile("rgb.png"));
        first.Pixels.Zip(png.Pixels, (a, b) => Math.Abs(a - b)).Average().Should().BeLessThan(0.05f, "the first frame is the 32-colour palette of rgb.png, not its inverse");
    }

    [Fact]
    public void A_text_file_is_refused_naming_the_formats()
    {
        string path = _dir.File("notes.png");
        File.WriteAllText(path, "hello, not an image");
        var e = Assert.Throws<ImageFormatException>(() => CamImage.Load(path));
        e.Message.Should().Contain(path).And.Contain("not in a format CamAssert reads").And.Contain("JPEG").And.Contain("68656C6C6F");
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        string path = _dir.File("empty.jpg");
        File.WriteAllBytes(path, []);
        Assert.Throws<ImageFormatException>(() => CamImage.Load(path)).Message.Should().Contain("the file is empty");
    }

    [Fact]
    public void A_missing_file_says_where_it_looked()
    {
        string path = Path.Combine(_dir.Path, "none", "cat.jpg");
        var e = Assert.Throws<ImageFormatException>(() => CamImage.Load(path));
        e.FilePath.Should().Be(path);
        e.Message.Should().Contain("does not exist");
    }

    [Theory]
    [InlineData(16000, 16000, 16, 6, "1953 MB")]
    [InlineData(20000, 10, 8, 2, "at most 16384 pixels a side")]
    [InlineData(9000, 9000, 8, 2, "308 MB")]
    public void A_decompression_bomb_is_refused_before_decoding(int width, int height, byte depth, byte colorType, string message)
    {
        string path = _dir.File($"bomb{width}.png");
        File.WriteAllBytes(path, Png(width, height, depth, colorType, Zlib(new byte[1000])));
        var (e, allocated) = RefusedWithAllocation(path);
        allocated.Should().BeLessThan(4 << 20, "the size is checked from the header, before any pixel buffer");
        e.Message.Should().Contain(message).And.Contain(path);
    }

    /// <summary>
    /// The refusal of <paramref name="path"/> and the bytes this thread allocated for it: measured on a second
    /// load (the first pays for one-time set-up) and on this thread only (tests run in parallel).
    /// </summary>
    private static (ImageFormatException Error, long Allocated) RefusedWithAllocation(string path)
    {
        Assert.Throws<ImageFormatException>(() => CamImage.Load(path));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ImageFormatException>(() => CamImage.Load(path));
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public static TheoryData<string> BombFormats => new() { "baseline.jpg", "progressive.jpg", "rgb.bmp", "animated.gif", "rgb.ppm", "rgb.tga" };

    [Theory]
    [MemberData(nameof(BombFormats))]
    public void A_header_claiming_16000_by_16000_is_refused_before_decoding_in_every_format(string file)
    {
        // The fixture with its header's size patched to 16 000 × 16 000 (1 GB as RGBA): the pixel data stays tiny.
        var bytes = Inflated(File.ReadAllBytes(FormatFile(file)), Path.GetExtension(file), 16000);
        string path = _dir.File("bomb-" + file);
        File.WriteAllBytes(path, bytes);
        var (e, allocated) = RefusedWithAllocation(path);
        allocated.Should().BeLessThan(4 << 20, "{0}'s size is checked from its header, before any pixel buffer", file);
        e.Message.Should().Contain("16000×16000").And.Contain("256 MB");
    }

    private static byte[] Inflated(byte[] b, string extension, int size)
    {
        b = (byte[])b.Clone();
        switch (extension)
        {
            case ".jpg":
                for (int i = 2; i + 9 < b.Length; i++)
                    if (b[i] == 0xFF && b[i + 1] is 0xC0 or 0xC2) { BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(i + 5), (ushort)size); BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(i + 7), (ushort)size); break; }
                return b;
            case ".bmp":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), size);
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), size);
                return b;
            case ".gif":
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), (ushort)size);
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), (ushort)size);
                return b;
            case ".tga":
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)size);
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)size);
                return b;
            default: // .ppm: "P6\n24 18\n255\n" then the samples
                var text = System.Text.Encoding.ASCII.GetBytes($"P6\n{size} {size}\n255\n");
                return [.. text, .. b[System.Text.Encoding.ASCII.GetByteCount("P6\n24 18\n255\n")..]];
        }
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(1, 9)]
    [InlineData(4, 1)]
    public void A_narrow_interlaced_png_is_refused_instead_of_hanging(int width, int height)
    {
        // ImageSharp 2.1.13 spins forever on these (measured); CamAssert refuses them up front.
        string path = _dir.File($"adam7_{width}x{height}.png");
        File.WriteAllBytes(path, Png(width, height, 8, 0, Zlib(new byte[64]), interlace: 1));
        Assert.Throws<ImageFormatException>(() => CamImage.Load(path)).Message.Should().Contain("interlaced (Adam7)").And.Contain("without interlacing");
    }

    /// <summary>A PNG with the given header and IDAT, CRCs correct (written here, not by the code under test).</summary>
    internal static byte[] Png(int width, int height, byte depth, byte colorType, byte[] idat, byte interlace = 0)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        (ihdr[8], ihdr[9], ihdr[12]) = (depth, colorType, interlace);
        var s = new MemoryStream();
        s.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var (type, data) in new[] { ("IHDR", ihdr), ("IDAT", idat), ("IEND", Array.Empty<byte>()) })
        {
            var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
            s.Write(length);
            s.Write(typed);
            s.Write(crc);
        }
        return s.ToArray();
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    internal static byte[] Zlib(byte[] data)
    {
        var s = new MemoryStream();
        using (var z = new ZLibStream(s, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return s.ToArray();
    }
}
