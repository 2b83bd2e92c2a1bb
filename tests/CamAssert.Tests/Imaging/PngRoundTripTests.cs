using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CamAssert.Imaging.Png;

namespace CamAssert.Tests.Imaging;

/// <summary>The encoder: every layout round-trips through the decoder, text chunks, filter choice, determinism.</summary>
public class PngRoundTripTests
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(3, 8)]
    [InlineData(4, 8)]
    [InlineData(1, 16)]
    [InlineData(2, 16)]
    [InlineData(3, 16)]
    [InlineData(4, 16)]
    public void Every_layout_round_trips(int channels, int depth)
    {
        var rnd = new Random(channels * 100 + depth);
        int w = 13, h = 9;
        var bytes = new byte[w * h * channels * depth / 8];
        rnd.NextBytes(bytes);

        var png = PngDecoder.Decode(PngEncoder.Encode(bytes, w, h, channels, depth), "roundtrip.png");

        (png.Width, png.Height, png.Channels, png.BitDepth).Should().Be((w, h, channels, depth));
        var expected = depth == 16 ? Enumerable.Range(0, bytes.Length / 2).Select(i => bytes[2 * i] << 8 | bytes[2 * i + 1]) : bytes.Select(b => (int)b);
        png.Samples.Select(s => (int)s).Should().Equal(expected);
    }

    [Fact]
    public void Same_input_gives_the_same_bytes()
    {
        var bytes = Enumerable.Range(0, 32 * 16).Select(i => (byte)(i * i % 251)).ToArray();
        var text = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        PngEncoder.Encode(bytes, 32, 16, 1, 8, text).Should().Equal(PngEncoder.Encode(bytes, 32, 16, 1, 8, new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }),
            "the bytes do not depend on the dictionary's order");
    }

    [Fact]
    public void Text_round_trips_as_tEXt_when_latin1_and_as_iTXt_otherwise()
    {
        var text = new Dictionary<string, string>
        {
            ["camassert:layer"] = "backbone.layer4",
            ["note"] = "é, ü and ß are Latin-1",
            ["title"] = "Grad-CAM → 円 ✓",
            ["empty"] = "",
        };
        var file = PngEncoder.Encode(new byte[4], 2, 2, 1, 8, text);

        PngDecoder.Decode(file, "text.png").Text.Should().BeEquivalentTo(text);
        ChunkTypes(file).Should().Equal("IHDR", "tEXt", "tEXt", "tEXt", "iTXt", "IDAT", "IEND");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" leading")]
    [InlineData("two  spaces")]
    [InlineData("new\nline")]
    [InlineData("arrow→")]
    public void Invalid_text_keys_are_refused_naming_the_file(string key)
    {
        var act = () => PngEncoder.Encode(new byte[4], 2, 2, 1, 8, new Dictionary<string, string> { [key] = "v" }, "golden/x.png");
        act.Should().Throw<ArgumentException>().WithMessage("*'golden/x.png'*text key*");
    }

    [Fact]
    public void An_80_character_key_is_refused()
    {
        var act = () => PngEncoder.Encode(new byte[4], 2, 2, 1, 8, new Dictionary<string, string> { [new string('k', 80)] = "v" });
        act.Should().Throw<ArgumentException>().WithMessage("*80 characters*1 to 79*");
    }

    [Theory]
    [InlineData(5, 8, 4, "*1 to 4 channels*")]
    [InlineData(3, 4, 6, "*8- or 16-bit*")]
    [InlineData(3, 8, 5, "*needs 12 sample bytes*5 were given*")]
    public void Impossible_layouts_are_refused(int channels, int depth, int length, string message)
    {
        var act = () => PngEncoder.Encode(new byte[length], 2, 2, channels, depth, null, "out.png");
        act.Should().Throw<ArgumentException>().WithMessage(message).WithMessage("Cannot write PNG 'out.png'*");
    }

    [Fact]
    public void Each_row_takes_the_filter_with_the_smallest_sum()
    {
        // Row 0: a ramp (Sub leaves 1s, the least); rows 1-2: copies of the row above (Up leaves 0s, the first filter to do so).
        int w = 16;
        var ramp = Enumerable.Range(0, w).Select(i => (byte)(i * 16)).ToArray();
        var rows = ramp.Concat(ramp).Concat(ramp).ToArray();
        FilterTypes(PngEncoder.Encode(rows, w, 3, 1, 8), w, 3).Should().Equal(PngFilter.Sub, PngFilter.Up, PngFilter.Up);
    }

    /// <summary>The filter byte of each row in the file's (single) IDAT.</summary>
    private static byte[] FilterTypes(byte[] file, int stride, int height)
    {
        int pos = 8;
        while (Encoding.ASCII.GetString(file, pos + 4, 4) != "IDAT") pos += 12 + BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
        int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
        using var z = new ZLibStream(new MemoryStream(file, pos + 8, length), CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        return Enumerable.Range(0, height).Select(y => raw.ToArray()[y * (stride + 1)]).ToArray();
    }

    private static List<string> ChunkTypes(byte[] file)
    {
        var types = new List<string>();
        for (int pos = 8; pos < file.Length; pos += 12 + BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos)))
            types.Add(Encoding.ASCII.GetString(file, pos + 4, 4));
        return types;
    }
}
