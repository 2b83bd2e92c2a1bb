using System.IO.Compression;

namespace CamAssert.Imaging.Png;

/// <summary>Decompresses the concatenated IDAT data into a buffer of exactly the size the header implies.</summary>
internal static class PngInflater
{
    /// <summary>
    /// Inflates <paramref name="zlib"/> into <paramref name="expected"/> bytes. Data beyond that is
    /// ignored (as libpng does); too little data or invalid zlib is an error.
    /// </summary>
    /// <exception cref="ImageFormatException">The data is not valid zlib or ends early.</exception>
    public static byte[] Inflate(Stream zlib, long expected, string path)
    {
        var result = new byte[expected];
        int read = 0;
        try
        {
            using var z = new ZLibStream(zlib, CompressionMode.Decompress);
            while (read < expected)
            {
                int n = z.Read(result, read, (int)Math.Min(expected - read, 1 << 20));
                if (n == 0) break;
                read += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(path, $"its image data (IDAT) is not valid zlib data ({e.Message}) after {read} of {expected} bytes, so the file is corrupt. Copy or save the image again.", e);
        }
        if (read < expected)
            throw new ImageFormatException(path, $"its image data (IDAT) ends after {read} of the {expected} bytes its scanlines need, so the file is truncated or corrupt. Copy or save the image again.");
        return result;
    }
}
