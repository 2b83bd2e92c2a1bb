namespace CamAssert.Imaging.Png;

/// <summary>
/// Reads PNG files: every colour type and bit depth, PLTE and tRNS, Adam7 interlacing, all five
/// filters, text chunks, CRC checks, and a decoded-size limit checked before anything sized by
/// the image is allocated. Every failure is an <see cref="ImageFormatException"/> naming the file.
/// </summary>
internal static class PngDecoder
{
    /// <summary>Decodes the PNG in <paramref name="file"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="ImageFormatException">The bytes are not a PNG CamAssert can decode; the message says why.</exception>
    public static PngImage Decode(byte[] file, string path)
    {
        var reader = new PngChunkReader(file, path);
        PngHeader? header = null;
        byte[]? plte = null, trns = null;
        var idat = new MemoryStream();
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.TryNext(out var chunk))
        {
            if (header is null && chunk.Type != "IHDR")
                throw new ImageFormatException(path, $"its first chunk is {chunk.Type}, not IHDR, so the file is corrupt. Save the image again.");
            switch (chunk.Type)
            {
                case "IHDR" when header is not null:
                    throw new ImageFormatException(path, $"it has a second IHDR chunk at byte {chunk.Offset}, so the file is corrupt. Save the image again.");
                case "IHDR": header = PngHeader.Parse(chunk.Data, path); break;
                case "PLTE": plte = chunk.Data.ToArray(); break;
                case "tRNS": trns = chunk.Data.ToArray(); break;
                case "IDAT": idat.Write(chunk.Data); break;
                case "IEND": break;
                case var type when PngText.IsText(type): PngText.Read(chunk, path, text); break;
                case var _ when chunk.IsCritical:
                    throw new ImageFormatException(path, $"{chunk.Describe()} is a critical chunk CamAssert does not know, so it cannot decode the image safely. Save it again as a plain PNG.");
            }
        }
        if (idat.Length == 0) throw new ImageFormatException(path, "it has no IDAT chunk (no image data), so the file is truncated or corrupt. Copy or save the image again.");
        var format = PngPixelFormat.Create(header!, plte, trns, path);
        header!.EnsureDecodable(format.Channels, path);
        idat.Position = 0;
        var raw = PngInflater.Inflate(idat, header.RawBytes, path);
        var samples = PngScanlines.Decode(raw, header, format, path);
        return new PngImage(header.Width, header.Height, format.Channels, format.Depth, samples, text);
    }

    /// <summary>Reads and decodes the PNG file at <paramref name="path"/>.</summary>
    /// <exception cref="ImageFormatException">The file is missing, unreadable or not a PNG CamAssert can decode.</exception>
    public static PngImage DecodeFile(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageFormatException(path, $"the file does not exist (looked at '{Path.GetFullPath(path)}'). Check the path; relative paths start at '{Environment.CurrentDirectory}'.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ImageFormatException(path, $"the file cannot be read ({e.Message}). Check the path and its permissions.", e);
        }
        return Decode(bytes, path);
    }
}
