namespace CamAssert.Imaging.Png;

/// <summary>
/// The five PNG scanline filters (None, Sub, Up, Average, Paeth). Each predicts a byte from the
/// byte one pixel to the left (a), the byte above (b) and the byte above-left (c); the file stores
/// the byte minus the prediction, modulo 256.
/// </summary>
internal static class PngFilter
{
    /// <summary>Filter type numbers as stored before each scanline.</summary>
    public const byte None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

    /// <summary>The prediction of filter <paramref name="type"/> from a, b and c.</summary>
    public static int Predict(byte type, int a, int b, int c) => type switch
    {
        None => 0,
        Sub => a,
        Up => b,
        Average => (a + b) >> 1,
        _ => PaethPredictor(a, b, c),
    };

    /// <summary>Whichever of a, b, c is nearest to a + b − c (ties: a, then b).</summary>
    public static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>
    /// Filters <paramref name="row"/> with <paramref name="type"/> into <paramref name="output"/>,
    /// given the previous (unfiltered) row, and returns the sum of the output bytes read as
    /// signed values' magnitudes (the usual "minimum sum of absolute differences" score).
    /// </summary>
    public static long Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int distance, Span<byte> output)
    {
        long score = 0;
        for (int x = 0; x < row.Length; x++)
        {
            int a = x >= distance ? row[x - distance] : 0, c = x >= distance ? previous[x - distance] : 0;
            byte v = (byte)(row[x] - Predict(type, a, previous[x], c));
            output[x] = v;
            score += Math.Abs((int)(sbyte)v);
        }
        return score;
    }

    /// <summary>Reverses filter <paramref name="type"/> on <paramref name="row"/> in place, given the previous unfiltered row.</summary>
    public static void Undo(byte type, Span<byte> row, ReadOnlySpan<byte> previous, int distance)
    {
        switch (type)
        {
            case None:
                return;
            case Sub:
                for (int x = distance; x < row.Length; x++) row[x] += row[x - distance];
                return;
            case Up:
                for (int x = 0; x < row.Length; x++) row[x] += previous[x];
                return;
            case Average:
                for (int x = 0; x < row.Length; x++) row[x] += (byte)(((x >= distance ? row[x - distance] : 0) + previous[x]) >> 1);
                return;
            default:
                for (int x = 0; x < row.Length; x++)
                {
                    int a = x >= distance ? row[x - distance] : 0, c = x >= distance ? previous[x - distance] : 0;
                    row[x] += (byte)PaethPredictor(a, previous[x], c);
                }
                return;
        }
    }
}
