namespace CamAssert.Suites.Formats;

/// <summary>
/// COCO's run-length masks: runs over the image in column-major order (down each column, then the
/// next), starting with a run of background; as an int array, or compressed to a string (each run
/// in 5-bit groups + 48, runs after the second stored as the difference to the one two back), as
/// pycocotools' maskApi writes them.
/// </summary>
internal static class CocoRle
{
    /// <summary>Decodes the compressed string form into run lengths.</summary>
    /// <exception cref="FormatException">The string is not a valid compressed RLE.</exception>
    public static long[] Decompress(string s)
    {
        var counts = new List<long>();
        int p = 0;
        while (p < s.Length)
        {
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                if (p >= s.Length) throw new FormatException($"the compressed RLE string ends inside a run (at character {p}).");
                int c = s[p] - 48;
                if (c < 0 || c > 63) throw new FormatException($"character '{s[p]}' at {p} is not in the compressed RLE alphabet ('0' to 'o').");
                x |= (long)(c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) x |= -1L << (5 * k);
            }
            if (counts.Count > 2) x += counts[^2];
            counts.Add(x);
        }
        return counts.ToArray();
    }

    /// <summary>The row-major mask of a <paramref name="width"/>×<paramref name="height"/> image from column-major runs.</summary>
    /// <exception cref="FormatException">A run is negative or the runs do not cover the image exactly.</exception>
    public static bool[] ToMask(IReadOnlyList<long> counts, int width, int height)
    {
        long total = 0;
        foreach (var c in counts)
        {
            if (c < 0) throw new FormatException($"a run length is negative ({c}).");
            total += c;
        }
        if (total != (long)width * height)
            throw new FormatException($"the runs cover {total} pixels, but a {width}×{height} image has {(long)width * height}.");
        var mask = new bool[width * height];
        long position = 0;
        for (int i = 0; i < counts.Count; i++)
        {
            if (i % 2 == 1)
                for (long q = position; q < position + counts[i]; q++)
                {
                    int column = (int)(q / height), row = (int)(q % height);
                    mask[row * width + column] = true;
                }
            position += counts[i];
        }
        return mask;
    }
}
