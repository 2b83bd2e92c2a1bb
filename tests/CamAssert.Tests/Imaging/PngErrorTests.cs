using System.Text;
using CamAssert.Imaging;
using CamAssert.Imaging.Png;
using static CamAssert.Tests.Imaging.PngBuilder;

namespace CamAssert.Tests.Imaging;

/// <summary>Every way a PNG can be bad gives an <see cref="ImageFormatException"/> that names the file and the problem.</summary>
public class PngErrorTests
{
    private static readonly byte[] RgbIhdr = Ihdr(2, 2, 8, 2);
    private static readonly byte[] RgbData = Zlib(new byte[2 * (1 + 6)]);

    /// <summary>Decodes, expects a refusal naming the file, and returns the message.</summary>
    private static string Refused(byte[] file, string name = "bad.png")
    {
        var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(file, name));
        e.FilePath.Should().Be(name);
        e.Message.Should().StartWith($"Cannot read image '{name}': ");
        return e.Message;
    }

    [Fact]
    public void A_valid_hand_built_file_decodes() =>
        PngDecoder.Decode(Image(RgbIhdr, RgbData), "ok.png").Samples.Should().HaveCount(12).And.OnlyContain(s => s == 0);

    [Fact]
    public void Empty_file() => Refused([]).Should().Contain("empty");

    [Fact]
    public void Bad_signature() => Refused("GIF89a\x01\x00\x01\x00"u8.ToArray(), "x.gif").Should().Contain("not a PNG").And.Contain("474946383961");

    [Theory]
    [InlineData("IHDR", 20)]
    [InlineData("IDAT", 42)]
    public void Bad_crc_names_the_chunk(string chunk, int flip)
    {
        var file = Image(RgbIhdr, RgbData);
        file[flip] ^= 0x01;
        Refused(file).Should().Contain($"the {chunk} chunk at byte").And.Contain("bad CRC");
    }

    [Fact]
    public void Every_truncation_is_refused_as_truncated()
    {
        var file = Image(RgbIhdr, RgbData, ("tEXt", "k\0v"u8.ToArray()));
        for (int length = 8; length < file.Length; length++)
            Refused(file[..length]).Should().Contain("truncated", $"the file cut to {length} of {file.Length} bytes");
        for (int length = 1; length < 8; length++)
            Refused(file[..length]).Should().Contain("not a PNG");
    }

    [Fact]
    public void Bad_zlib_data() => Refused(Image(RgbIhdr, [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0x00])).Should().Contain("not valid zlib");

    [Fact]
    public void Too_little_image_data() => Refused(Image(RgbIhdr, Zlib(new byte[7]))).Should().Contain("ends after 7 of the 14 bytes");

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    public void Zero_width_or_height_is_corrupt(long width, long height) =>
        Refused(Image(Ihdr(width, height, 8, 2), [])).Should().Contain($"its size is {width}×{height}; a PNG has at least 1×1 pixels");

    [Theory]
    [InlineData(16385, 1)]
    [InlineData(1, 16385)]
    [InlineData(100000, 100000)]
    [InlineData(0xFFFFFFFFL, 1)]
    public void Sides_over_16384_are_refused(long width, long height) =>
        Refused(Image(Ihdr(width, height, 8, 2), [])).Should().Contain("outside what CamAssert reads (1 to 16384 pixels per side)");

    [Fact]
    public void A_decompression_bomb_is_refused_before_allocating()
    {
        // 16000×16000 RGBA at 16 bits would be 1.9 GB decoded; the IDAT is a few bytes.
        var file = Image(Ihdr(16000, 16000, 16, 6), Zlib(new byte[1000]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var message = Refused(file, "bomb.png");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
        message.Should().Contain("decompression bomb").And.Contain("1953 MB").And.Contain("256 MB");
    }

    [Fact]
    public void A_palette_bomb_that_tRNS_pushes_over_the_limit_is_refused_before_inflating()
    {
        // 9000×9000 palette: 231 MB as RGB (allowed at IHDR), 309 MB as RGBA once tRNS adds alpha.
        var file = Image(Ihdr(9000, 9000, 8, 3), Zlib(new byte[1000]), ("PLTE", new byte[6]), ("tRNS", [0]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Refused(file).Should().Contain("4 channels").And.Contain("decompression bomb");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Theory]
    [InlineData(4, 2, "bit depth 4 is not allowed with colour type 2")]
    [InlineData(16, 3, "bit depth 16 is not allowed with colour type 3")]
    [InlineData(3, 0, "bit depth 3 is not allowed with colour type 0")]
    [InlineData(8, 5, "colour type 5 is not a PNG colour type")]
    public void Invalid_depth_and_colour_type(byte depth, byte colorType, string message) =>
        Refused(Image(Ihdr(2, 2, depth, colorType), RgbData)).Should().Contain(message);

    [Theory]
    [InlineData(2, 0, 0, "interlace method 2")]
    [InlineData(0, 1, 0, "compression method 1")]
    [InlineData(0, 0, 1, "filter method 1")]
    public void Unknown_methods(byte interlace, byte compression, byte filter, string message) =>
        Refused(Image(Ihdr(2, 2, 8, 2, interlace, compression, filter), RgbData)).Should().Contain(message);

    [Fact]
    public void Wrong_ihdr_length() => Refused(Image(RgbIhdr[..12], RgbData)).Should().Contain("IHDR chunk has 12 bytes instead of 13");

    [Fact]
    public void First_chunk_not_ihdr() => Refused(File(("tEXt", "a\0b"u8.ToArray()), ("IHDR", RgbIhdr), ("IDAT", RgbData), ("IEND", []))).Should().Contain("first chunk is tEXt, not IHDR");

    [Fact]
    public void Second_ihdr() => Refused(Image(RgbIhdr, RgbData, ("IHDR", RgbIhdr))).Should().Contain("second IHDR");

    [Fact]
    public void No_image_data() => Refused(File(("IHDR", RgbIhdr), ("IEND", []))).Should().Contain("no IDAT chunk");

    [Fact]
    public void No_iend() => Refused(File(("IHDR", RgbIhdr), ("IDAT", RgbData))).Should().Contain("truncated").And.Contain("without an IEND chunk");

    [Fact]
    public void Palette_image_without_palette() => Refused(Image(Ihdr(2, 2, 8, 3), Zlib(new byte[6]))).Should().Contain("without a PLTE chunk");

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    [InlineData(771)]
    public void Palette_of_a_bad_length(int bytes) =>
        Refused(Image(Ihdr(2, 2, 8, 3), Zlib(new byte[6]), ("PLTE", new byte[bytes]))).Should().Contain($"PLTE chunk has {bytes} bytes");

    [Fact]
    public void Palette_in_a_gray_image() =>
        Refused(Image(Ihdr(2, 2, 8, 0), Zlib(new byte[6]), ("PLTE", new byte[6]))).Should().Contain("gray image with a PLTE chunk");

    [Fact]
    public void Palette_index_beyond_the_palette() =>
        Refused(Image(Ihdr(2, 1, 8, 3), Zlib([0, 1, 2]), ("PLTE", new byte[6]))).Should().Contain("palette entry 2").And.Contain("only 2 entries");

    [Fact]
    public void Unknown_filter_type() =>
        Refused(Image(RgbIhdr, Zlib([0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0]))).Should().Contain("row 1 uses filter type 5");

    [Fact]
    public void Unknown_critical_chunk() => Refused(Image(RgbIhdr, RgbData, ("ABCD", [1]))).Should().Contain("ABCD chunk at byte 33 is a critical chunk");

    [Fact]
    public void Unknown_ancillary_chunks_are_skipped() =>
        PngDecoder.Decode(Image(RgbIhdr, RgbData, ("abCd", [1, 2, 3]), ("pHYs", new byte[9])), "ok.png").Width.Should().Be(2);

    [Fact]
    public void Chunk_type_that_is_not_letters()
    {
        var file = Image(RgbIhdr, RgbData, ("tEXt", "a\0b"u8.ToArray()));
        file[33 + 4] = (byte)'1';
        Refused(file).Should().Contain("chunk at byte 33 has an invalid type");
    }

    [Fact]
    public void Text_chunk_without_keyword() => Refused(Image(RgbIhdr, RgbData, ("tEXt", "no separator"u8.ToArray()))).Should().Contain("tEXt chunk at byte 33 does not start with a keyword");

    [Fact]
    public void Compressed_text_that_is_not_zlib() =>
        Refused(Image(RgbIhdr, RgbData, ("zTXt", [.. "Comment"u8, 0, 0, 1, 2, 3]))).Should().Contain("zTXt chunk").And.Contain("'Comment'").And.Contain("not valid zlib");

    [Fact]
    public void Compressed_text_bomb()
    {
        var huge = Zlib(new byte[2 << 20]);
        Refused(Image(RgbIhdr, RgbData, ("zTXt", [.. "k"u8, 0, 0, .. huge]))).Should().Contain("more than 1 MB of text").And.Contain("decompression bomb");
    }

    [Fact]
    public void Itxt_without_its_zero_separators() =>
        Refused(Image(RgbIhdr, RgbData, ("iTXt", [.. "Title"u8, 0, 0, 0, .. "en"u8]))).Should().Contain("iTXt chunk").And.Contain("language tag");

    [Fact]
    public void Missing_file_says_where_it_looked()
    {
        string path = Path.Combine(Path.GetTempPath(), $"camassert-none-{Guid.NewGuid():N}", "cat.png");
        var e = Assert.Throws<ImageFormatException>(() => CamImage.Load(path));
        e.FilePath.Should().Be(path);
        e.Message.Should().Contain("does not exist").And.Contain(path);
    }

    [Fact]
    public void A_directory_is_not_an_image()
    {
        var e = Assert.Throws<ImageFormatException>(() => CamImage.Load(Path.GetTempPath()));
        e.Message.Should().Contain("cannot be read");
    }

    [Fact]
    public void Image_data_split_over_several_idat_chunks_is_joined()
    {
        var rgb = Enumerable.Range(0, 12).Select(i => i * 20).ToArray();
        var z = Zlib(Scanlines(rgb, 2, 2, 3, 8, interlaced: false));
        var file = File(("IHDR", RgbIhdr), ("IDAT", z[..3]), ("IDAT", []), ("IDAT", z[3..^2]), ("IDAT", z[^2..]), ("IEND", []));
        PngDecoder.Decode(file, "split.png").Samples.Select(s => (int)s).Should().Equal(rgb);
    }

    [Fact]
    public void Trailing_bytes_after_iend_are_ignored() =>
        PngDecoder.Decode([.. Image(RgbIhdr, RgbData), .. Encoding.ASCII.GetBytes("junk")], "ok.png").Width.Should().Be(2);
}
