using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CamAssert.Imaging.Png;

/// <summary>A decoded PNG: samples per channel (palette expanded, tRNS as alpha), at 8 or 16 bits, and its text chunks.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.</param>
/// <param name="BitDepth">8 (values 0..255; 1/2/4-bit images are scaled up) or 16 (0..65535).</param>
/// <param name="Samples">Row-major, channels interleaved.</param>
/// <param name="Text">tEXt, zTXt and iTXt entries.</param>
internal sealed record PngImage(int Width, int Height, int Channels, int BitDepth, ushort[] Samples, IReadOnlyDictionary<string, string> Text);

/// <summary>
/// Reads PNG files: every colour type and bit depth, Adam7 interlacing, all five filters, CRC
/// checks, and a size limit checked before anything large is allocated.
/// </summary>
internal static class PngDecoder
{
    /// <summary>Largest side accepted.</summary>
    public const int MaxSide = 16384;

    /// <summary>Largest decoded size accepted, in bytes of raw samples.</summary>
    public const long MaxDecodedBytes = 256L << 20;

    public static PngImage Decode(byte[] file, string path)
    {
        ImageFormatException Bad(string problem, Exception? inner = null) => new(path, problem, inner);
        if (file.Length < 8 || !file.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
            throw Bad("it is not a PNG file (the 8-byte PNG signature is missing). Save the image as PNG.");
        int pos = 8, width = 0, height = 0, depth = 0, colorType = -1, interlace = 0;
        byte[]? palette = null, trns = null;
        var idat = new MemoryStream();
        var text = new Dictionary<string, string>();
        bool end = false;
        while (!end)
        {
            if (pos + 8 > file.Length) throw Bad($"the file is truncated at byte {pos} (no IEND chunk). Copy or save it again.");
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            string type = Encoding.ASCII.GetString(file, pos + 4, 4);
            if (length < 0 || pos + 12L + length > file.Length) throw Bad($"the file is truncated inside the {type} chunk at byte {pos}. Copy or save it again.");
            var data = file.AsSpan(pos + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos + 8 + length));
            if (crc != Crc32.Of(file.AsSpan(pos + 4, 4), data)) throw Bad($"the {type} chunk at byte {pos} has a bad CRC (the file is corrupt). Save it again.");
            switch (type)
            {
                case "IHDR":
                    if (length != 13) throw Bad("the IHDR chunk has the wrong length.");
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    (depth, colorType, interlace) = (data[8], data[9], data[12]);
                    if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide)
                        throw Bad($"its size {width}×{height} is outside 1..{MaxSide} per side.");
                    if (!ValidDepth(colorType, depth)) throw Bad($"colour type {colorType} with bit depth {depth} is not valid PNG.");
                    if (interlace > 1 || data[10] != 0 || data[11] != 0) throw Bad("it uses an unknown compression, filter or interlace method.");
                    long decoded = (long)width * height * Math.Max(1, SamplesPerPixel(colorType)) * (depth == 16 ? 2 : 1);
                    if (decoded > MaxDecodedBytes) throw Bad($"its {width}×{height} pixels would decode to {decoded >> 20} MB, over the {MaxDecodedBytes >> 20} MB limit (decompression bomb protection).");
                    break;
                case "PLTE": palette = data.ToArray(); break;
                case "tRNS": trns = data.ToArray(); break;
                case "IDAT": idat.Write(data); break;
                case "tEXt": AddText(text, data.ToArray(), compressed: false); break;
                case "zTXt": AddText(text, data.ToArray(), compressed: true); break;
                case "iTXt": AddInternationalText(text, data.ToArray()); break;
                case "IEND": end = true; break;
            }
            if (colorType < 0 && type != "IHDR") throw Bad("the first chunk is not IHDR.");
            pos += 12 + length;
        }
        if (colorType == 3 && palette is null) throw Bad("it is a palette image without a PLTE chunk.");
        byte[] raw;
        try { raw = Inflate(idat.ToArray(), ExpectedRawSize(width, height, colorType, depth, interlace == 1)); }
        catch (InvalidDataException e) { throw Bad($"its image data is not valid zlib ({e.Message}). The file is corrupt.", e); }
        return Unpack(raw, width, height, colorType, depth, interlace == 1, palette, trns, text, Bad);
    }

    private static bool ValidDepth(int colorType, int depth) => colorType switch
    {
        0 => depth is 1 or 2 or 4 or 8 or 16,
        3 => depth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => depth is 8 or 16,
        _ => false,
    };

    private static int SamplesPerPixel(int colorType) => colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

    private static long ExpectedRawSize(int w, int h, int colorType, int depth, bool interlaced)
    {
        int bits = SamplesPerPixel(colorType) * depth;
        if (!interlaced) return (long)h * (1 + ((long)w * bits + 7) / 8);
        long total = 0;
        foreach (var (x0, y0, dx, dy) in Adam7.Passes)
        {
            long pw = (w - x0 + dx - 1) / dx, ph = (h - y0 + dy - 1) / dy;
            if (pw > 0 && ph > 0) total += ph * (1 + (pw * bits + 7) / 8);
        }
        return total;
    }

    private static byte[] Inflate(byte[] data, long expected)
    {
        using var z = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        var result = new byte[expected];
        int read = 0;
        while (read < expected)
        {
            int n = z.Read(result, read, (int)Math.Min(expected - read, 1 << 20));
            if (n == 0) throw new InvalidDataException($"the data ends after {read} of {expected} bytes");
            read += n;
        }
        return result;
    }

    private static PngImage Unpack(byte[] raw, int w, int h, int colorType, int depth, bool interlaced, byte[]? palette, byte[]? trns,
        Dictionary<string, string> text, Func<string, Exception?, ImageFormatException> bad)
    {
        int spp = SamplesPerPixel(colorType), bits = spp * depth, bpp = Math.Max(1, bits / 8);
        var samples = new ushort[(long)w * h * spp];
        int offset = 0;
        foreach (var (x0, y0, dx, dy) in interlaced ? Adam7.Passes : [(0, 0, 1, 1)])
        {
            int pw = (w - x0 + dx - 1) / dx, ph = (h - y0 + dy - 1) / dy;
            if (pw <= 0 || ph <= 0) continue;
            int stride = (pw * bits + 7) / 8;
            var prev = new byte[stride];
            for (int y = 0; y < ph; y++)
            {
                int filter = raw[offset];
                var row = raw.AsSpan(offset + 1, stride);
                if (filter > 4) throw bad($"row {y} uses unknown filter type {filter}; the file is corrupt.", null);
                Unfilter(row, prev, filter, bpp);
                for (int x = 0; x < pw; x++)
                    for (int s = 0; s < spp; s++)
                        samples[(((long)(y0 + y * dy) * w) + x0 + x * dx) * spp + s] = Sample(row, x * spp + s, depth);
                row.CopyTo(prev);
                offset += stride + 1;
            }
        }
        return Expand(samples, w, h, colorType, depth, palette, trns, text, bad);
    }

    private static ushort Sample(ReadOnlySpan<byte> row, int index, int depth) => depth switch
    {
        16 => (ushort)(row[index * 2] << 8 | row[index * 2 + 1]),
        8 => row[index],
        _ => (ushort)(row[index * depth / 8] >> (8 - depth - index * depth % 8) & ((1 << depth) - 1)),
    };

    private static void Unfilter(Span<byte> row, ReadOnlySpan<byte> prev, int filter, int bpp)
    {
        for (int x = 0; x < row.Length; x++)
        {
            int a = x >= bpp ? row[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
            row[x] = (byte)(row[x] + filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1, _ => PngEncoder.Paeth(a, b, c) });
        }
    }

    /// <summary>Palette to RGB(A), low bit depths to 8 bits, tRNS to an alpha channel.</summary>
    private static PngImage Expand(ushort[] s, int w, int h, int colorType, int depth, byte[]? palette, byte[]? trns,
        Dictionary<string, string> text, Func<string, Exception?, ImageFormatException> bad)
    {
        int n = w * h;
        if (colorType == 3)
        {
            int channels = trns is null ? 3 : 4;
            var rgb = new ushort[n * channels];
            for (int i = 0; i < n; i++)
            {
                int p = s[i];
                if (p * 3 + 2 >= palette!.Length) throw bad($"pixel {i} uses palette entry {p}, but the palette has {palette.Length / 3} entries.", null);
                for (int c = 0; c < 3; c++) rgb[i * channels + c] = palette[p * 3 + c];
                if (channels == 4) rgb[i * 4 + 3] = (ushort)(p < trns!.Length ? trns[p] : 255);
            }
            return new PngImage(w, h, channels, 8, rgb, text);
        }
        int spp = SamplesPerPixel(colorType);
        if (depth < 8) for (int i = 0; i < s.Length; i++) s[i] = (ushort)(s[i] * 255 / ((1 << depth) - 1));
        int outDepth = depth == 16 ? 16 : 8;
        if (trns is null || colorType is 4 or 6) return new PngImage(w, h, spp, outDepth, s, text);
        // A tRNS colour key on gray or RGB becomes an alpha channel.
        int keyLen = spp * 2;
        if (trns.Length < keyLen) return new PngImage(w, h, spp, outDepth, s, text);
        var key = Enumerable.Range(0, spp).Select(c => (ushort)(trns[c * 2] << 8 | trns[c * 2 + 1])).ToArray();
        if (depth < 8) key = key.Select(k => (ushort)(k * 255 / ((1 << depth) - 1))).ToArray();
        ushort opaque = (ushort)(outDepth == 16 ? 65535 : 255);
        var withAlpha = new ushort[n * (spp + 1)];
        for (int i = 0; i < n; i++)
        {
            bool match = true;
            for (int c = 0; c < spp; c++) { withAlpha[i * (spp + 1) + c] = s[i * spp + c]; match &= s[i * spp + c] == key[c]; }
            withAlpha[i * (spp + 1) + spp] = match ? (ushort)0 : opaque;
        }
        return new PngImage(w, h, spp + 1, outDepth, withAlpha, text);
    }

    private static void AddText(Dictionary<string, string> text, byte[] data, bool compressed)
    {
        int zero = Array.IndexOf(data, (byte)0);
        if (zero <= 0) return;
        string key = Encoding.Latin1.GetString(data, 0, zero);
        byte[] value = compressed ? InflateAll(data[(zero + 2)..]) : data[(zero + 1)..];
        text[key] = Encoding.Latin1.GetString(value);
    }

    private static void AddInternationalText(Dictionary<string, string> text, byte[] data)
    {
        int zero = Array.IndexOf(data, (byte)0);
        if (zero <= 0 || zero + 3 > data.Length) return;
        string key = Encoding.Latin1.GetString(data, 0, zero);
        bool compressed = data[zero + 1] == 1;
        int lang = Array.IndexOf(data, (byte)0, zero + 3);
        int translated = lang < 0 ? -1 : Array.IndexOf(data, (byte)0, lang + 1);
        if (translated < 0) return;
        var value = data[(translated + 1)..];
        text[key] = Encoding.UTF8.GetString(compressed ? InflateAll(value) : value);
    }

    private static byte[] InflateAll(byte[] data)
    {
        using var z = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var o = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = z.Read(buffer)) > 0) { o.Write(buffer, 0, n); if (o.Length > 1 << 20) break; }
        return o.ToArray();
    }
}

/// <summary>The seven passes of Adam7 interlacing: start column/row and step.</summary>
internal static class Adam7
{
    public static readonly (int X0, int Y0, int Dx, int Dy)[] Passes =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
}
