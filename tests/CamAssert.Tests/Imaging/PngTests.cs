using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CamAssert.Imaging;
using CamAssert.Imaging.Png;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Imaging;

public class PngTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> PilFiles()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("images", "png", "expected.json")));
        return new TheoryData<string>(doc.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(PilFiles))]
    public void Decodes_what_PIL_wrote(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("images", "png", "expected.json")));
        var e = doc.RootElement.GetProperty(file);
        var png = PngDecoder.Decode(File.ReadAllBytes(Fixtures.Path_("images", "png", file)), file);
        png.Width.Should().Be(e.GetProperty("width").GetInt32());
        png.Height.Should().Be(e.GetProperty("height").GetInt32());
        png.Channels.Should().Be(e.GetProperty("channels").GetInt32());
        png.BitDepth.Should().Be(e.GetProperty("depth").GetInt32());
        png.Samples.Select(s => (int)s).Should().Equal(e.GetProperty("samples").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(3, 8)]
    [InlineData(4, 8)]
    [InlineData(1, 16)]
    public void Encoder_round_trips_every_layout(int channels, int depth)
    {
        var rnd = new Random(channels * 100 + depth);
        int w = 13, h = 9;
        var bytes = new byte[w * h * channels * depth / 8];
        rnd.NextBytes(bytes);
        var text = new Dictionary<string, string> { ["camassert:layer"] = "backbone.layer4", ["note"] = "é" };
        var file = PngEncoder.Encode(bytes, w, h, channels, depth, text);
        var png = PngDecoder.Decode(file, "roundtrip.png");
        png.Channels.Should().Be(channels);
        png.BitDepth.Should().Be(depth);
        var expected = depth == 16 ? Enumerable.Range(0, bytes.Length / 2).Select(i => bytes[2 * i] << 8 | bytes[2 * i + 1]) : bytes.Select(b => (int)b);
        png.Samples.Select(s => (int)s).Should().Equal(expected);
        png.Text.Should().BeEquivalentTo(text);
        PngEncoder.Encode(bytes, w, h, channels, depth, text).Should().Equal(file, "encoding is deterministic");
    }

    [Fact]
    public void Decodes_adam7_interlaced_images()
    {
        int w = 11, h = 10;
        var rgb = Enumerable.Range(0, w * h * 3).Select(i => (byte)(i * 7 % 251)).ToArray();
        var png = PngDecoder.Decode(Interlaced(rgb, w, h), "interlaced.png");
        png.Samples.Select(s => (byte)s).Should().Equal(rgb);
    }

    [Fact]
    public void Bad_signature_says_not_png() =>
        Assert.Throws<ImageFormatException>(() => PngDecoder.Decode("GIF89a........"u8.ToArray(), "x.gif")).Message.Should().Contain("'x.gif'").And.Contain("not a PNG");

    [Fact]
    public void Bad_crc_names_the_chunk()
    {
        var file = PngEncoder.Encode(new byte[12], 2, 2, 3, 8);
        file[20] ^= 0xFF; // inside IHDR's data
        Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(file, "bad.png")).Message.Should().Contain("IHDR chunk").And.Contain("bad CRC");
    }

    [Fact]
    public void Truncated_file_says_truncated()
    {
        var file = PngEncoder.Encode(new byte[300], 10, 10, 3, 8);
        Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(file[..(file.Length - 20)], "cut.png")).Message.Should().Contain("truncated");
    }

    [Fact]
    public void Corrupt_zlib_data_is_reported()
    {
        var file = Build(2, 2, 8, 2, [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0x00]);
        Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(file, "z.png")).Message.Should().Contain("zlib");
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(100000, 10)]
    public void Bad_sizes_are_refused(int w, int h) =>
        Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(Build(w, h, 8, 2, []), "size.png")).Message.Should().Contain("outside 1..16384");

    [Fact]
    public void Decompression_bombs_are_refused_before_allocating() =>
        Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(Build(16000, 16000, 16, 6, []), "bomb.png")).Message.Should().Contain("decompression bomb");

    [Fact]
    public void CamImage_loads_scales_and_saves()
    {
        var img = CamImage.Load(Fixtures.Path_("images", "png", "gray16.png"));
        img.Channels.Should().Be(1);
        img.Pixels.Should().OnlyContain(v => v >= 0 && v <= 1);
        string path = _dir.File("saved.png");
        img.ToRgb().Save(path);
        CamImage.Load(path).Channels.Should().Be(3);
        Assert.Throws<ImageFormatException>(() => CamImage.Load(_dir.File("none.png"))).Message.Should().Contain("does not exist");
    }

    /// <summary>A PNG with the given IHDR and raw IDAT bytes, CRCs correct.</summary>
    private static byte[] Build(int w, int h, byte depth, byte colorType, byte[] idat)
    {
        var s = new MemoryStream();
        s.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = depth; ihdr[9] = colorType;
        Chunk(s, "IHDR", ihdr);
        Chunk(s, "IDAT", idat);
        Chunk(s, "IEND", []);
        return s.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var t = Encoding.ASCII.GetBytes(type);
        s.Write(t);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc32.Of(t, data));
        s.Write(len);
    }

    /// <summary>An RGB 8-bit Adam7 PNG built pass by pass with filter None (an encoder path independent of PngEncoder).</summary>
    private static byte[] Interlaced(byte[] rgb, int w, int h)
    {
        var raw = new MemoryStream();
        foreach (var (x0, y0, dx, dy) in new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) })
            for (int y = y0; y < h; y += dy)
            {
                if (x0 >= w) break;
                raw.WriteByte(0);
                for (int x = x0; x < w; x += dx) raw.Write(rgb, (y * w + x) * 3, 3);
            }
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, true)) zs.Write(raw.ToArray());
        var file = Build(w, h, 8, 2, z.ToArray());
        file[8 + 8 + 12] = 1; // interlace method byte of IHDR
        var crc = Crc32.Of("IHDR"u8, file.AsSpan(16, 13));
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(29), crc);
        return file;
    }
}
