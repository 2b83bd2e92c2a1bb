using System.IO.Compression;
using System.Text;

namespace CamAssert.Imaging.Png;

/// <summary>
/// PNG text chunks: reads tEXt (Latin-1), zTXt (Latin-1, zlib) and iTXt (UTF-8, optionally
/// zlib); writes tEXt when key and value are Latin-1 and iTXt otherwise, so any string round-trips.
/// </summary>
internal static class PngText
{
    /// <summary>Largest decompressed text accepted from one zTXt or compressed iTXt chunk.</summary>
    public const int MaxDecompressedBytes = 1 << 20;

    /// <summary>Whether <paramref name="type"/> is a text chunk type this class reads.</summary>
    public static bool IsText(string type) => type is "tEXt" or "zTXt" or "iTXt";

    /// <summary>Reads one text chunk into <paramref name="text"/> (a later key replaces an earlier one).</summary>
    /// <exception cref="ImageFormatException">The chunk is malformed or its compressed text is not valid zlib.</exception>
    public static void Read(PngChunk chunk, string path, IDictionary<string, string> text)
    {
        var data = chunk.Data;
        string where = chunk.Describe();
        ImageFormatException Bad(string problem) => new(path, $"{where} {problem}. Save the image again, or remove its text chunks.");
        int zero = data.IndexOf((byte)0);
        if (zero is < 1 or > 79) throw Bad("does not start with a keyword of 1 to 79 bytes ended by a zero byte, so the file is corrupt");
        string key = Encoding.Latin1.GetString(data[..zero]);
        var rest = data[(zero + 1)..];
        switch (chunk.Type)
        {
            case "tEXt":
                text[key] = Encoding.Latin1.GetString(rest);
                return;
            case "zTXt":
                if (rest.Length < 1 || rest[0] != 0) throw Bad($"(keyword '{key}') does not use compression method 0, so the file is corrupt");
                text[key] = Encoding.Latin1.GetString(Inflate(rest[1..], m => Bad($"(keyword '{key}') {m}")));
                return;
            default:
                if (rest.Length < 2) throw Bad($"(keyword '{key}') ends before its compression flag, so the file is corrupt");
                bool compressed = rest[0] == 1;
                if (compressed && rest[1] != 0) throw Bad($"(keyword '{key}') does not use compression method 0, so the file is corrupt");
                var afterFlags = rest[2..];
                int language = afterFlags.IndexOf((byte)0);
                int translated = language < 0 ? -1 : afterFlags[(language + 1)..].IndexOf((byte)0);
                if (translated < 0) throw Bad($"(keyword '{key}') lacks the zero bytes that end its language tag and translated keyword, so the file is corrupt");
                var value = afterFlags[(language + 1 + translated + 1)..];
                text[key] = Encoding.UTF8.GetString(compressed ? Inflate(value, m => Bad($"(keyword '{key}') {m}")) : value);
                return;
        }
    }

    /// <summary>
    /// The chunk type and data for one entry: tEXt when key and value are Latin-1 without zero
    /// bytes, otherwise an uncompressed iTXt with the value in UTF-8.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a valid PNG keyword; the message names <paramref name="path"/>.</exception>
    public static (string Type, byte[] Data) Chunk(string key, string value, string path)
    {
        ValidateKey(key, path);
        byte[] keyBytes = Encoding.Latin1.GetBytes(key);
        if (IsLatin1(value) && !value.Contains('\0')) return ("tEXt", [.. keyBytes, 0, .. Encoding.Latin1.GetBytes(value)]);
        // iTXt: keyword, 0, compression flag 0, method 0, empty language tag, 0, empty translated keyword, 0, UTF-8 text.
        return ("iTXt", [.. keyBytes, 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(value)]);
    }

    private static void ValidateKey(string key, string path)
    {
        string? problem =
            key.Length is < 1 or > 79 ? $"has {key.Length} characters; PNG keywords have 1 to 79"
            : !key.All(ch => ch is >= ' ' and <= '~' or >= '\u00A1' and <= '\u00FF') ? "contains a character that is not printable Latin-1"
            : key.StartsWith(' ') || key.EndsWith(' ') || key.Contains("  ") ? "has leading, trailing or double spaces"
            : null;
        if (problem is not null)
            throw new ArgumentException($"Cannot write PNG '{path}': the text key '{key}' {problem}. Use a short printable key such as 'camassert:layer'.", nameof(key));
    }

    private static bool IsLatin1(string s)
    {
        foreach (char ch in s) if (ch > '\u00FF') return false;
        return true;
    }

    private static byte[] Inflate(ReadOnlySpan<byte> compressed, Func<string, ImageFormatException> bad)
    {
        try
        {
            using var z = new ZLibStream(new MemoryStream(compressed.ToArray()), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[16384];
            int n;
            while ((n = z.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
                if (output.Length > MaxDecompressedBytes) throw bad($"decompresses to more than {MaxDecompressedBytes >> 20} MB of text (decompression bomb protection)");
            }
            return output.ToArray();
        }
        catch (InvalidDataException e) { throw bad($"holds compressed text that is not valid zlib ({e.Message}), so the file is corrupt"); }
    }
}
