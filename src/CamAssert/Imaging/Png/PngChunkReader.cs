using System.Buffers.Binary;
using System.Text;

namespace CamAssert.Imaging.Png;

/// <summary>One chunk of a PNG file: its four-letter type, where it starts, and its data.</summary>
internal readonly ref struct PngChunk(string type, int offset, ReadOnlySpan<byte> data)
{
    /// <summary>The chunk type, e.g. <c>IHDR</c>.</summary>
    public string Type { get; } = type;

    /// <summary>Byte offset of the chunk's length field in the file (for messages).</summary>
    public int Offset { get; } = offset;

    /// <summary>The chunk's data (without length, type and CRC).</summary>
    public ReadOnlySpan<byte> Data { get; } = data;

    /// <summary>Critical chunks (upper-case first letter) must be understood to decode the image.</summary>
    public bool IsCritical => char.IsAsciiLetterUpper(Type[0]);

    /// <summary>"the IDAT chunk at byte 33", for messages.</summary>
    public string Describe() => $"the {Type} chunk at byte {Offset}";
}

/// <summary>
/// Walks the chunks of a PNG file after checking its signature: every chunk's length is checked
/// against the file's end and its CRC-32 against its bytes before the chunk is handed out.
/// Stops after IEND; bytes after IEND are ignored, as libpng does.
/// </summary>
internal ref struct PngChunkReader
{
    /// <summary>The 8 bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly ReadOnlySpan<byte> _file;
    private readonly string _path;
    private int _position;
    private bool _ended;

    /// <summary>Checks the signature of <paramref name="file"/>; <paramref name="path"/> is named in errors.</summary>
    /// <exception cref="ImageFormatException">The file does not start with the PNG signature.</exception>
    public PngChunkReader(ReadOnlySpan<byte> file, string path)
    {
        if (file.Length < Signature.Length || !file[..Signature.Length].SequenceEqual(Signature))
            throw new ImageFormatException(path, file.Length == 0
                ? "the file is empty. Save the image again as PNG."
                : $"it is not a PNG file (it does not start with the 8-byte PNG signature; it starts with {Hex(file[..Math.Min(8, file.Length)])}). Save the image as PNG.");
        _file = file;
        _path = path;
        _position = Signature.Length;
        _ended = false;
    }

    /// <summary>Reads the next chunk; false after IEND.</summary>
    /// <exception cref="ImageFormatException">The file ends early, a chunk type is not four letters, or a CRC does not match.</exception>
    public bool TryNext(out PngChunk chunk)
    {
        chunk = default;
        if (_ended) return false;
        int at = _position;
        if (at + 8 > _file.Length)
            throw Bad($"the file is truncated: it ends at byte {_file.Length} without an IEND chunk. Copy or save the image again.");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(_file[at..]);
        var typeBytes = _file.Slice(at + 4, 4);
        foreach (byte b in typeBytes)
            if (!char.IsAsciiLetter((char)b))
                throw Bad($"the chunk at byte {at} has an invalid type ({Hex(typeBytes)}; chunk types are four letters), so the file is corrupt. Save the image again.");
        string type = Encoding.ASCII.GetString(typeBytes);
        if (length > int.MaxValue)
            throw Bad($"the {type} chunk at byte {at} claims a length of {length} bytes, more than PNG allows (2^31 - 1), so the file is corrupt. Save the image again.");
        if (at + 12L + length > _file.Length)
            throw Bad($"the file is truncated inside the {type} chunk at byte {at} (the chunk needs {length + 12} bytes, {_file.Length - at} are left). Copy or save the image again.");
        var data = _file.Slice(at + 8, (int)length);
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(_file[(at + 8 + (int)length)..]);
        uint computed = Crc32.Of(typeBytes, data);
        if (stored != computed)
            throw Bad($"the {type} chunk at byte {at} has a bad CRC (stored 0x{stored:X8}, computed 0x{computed:X8}), so the file is corrupt. Copy or save the image again.");
        _position = at + 12 + (int)length;
        _ended = type == "IEND";
        chunk = new PngChunk(type, at, data);
        return true;
    }

    private readonly ImageFormatException Bad(string problem) => new(_path, problem);

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
