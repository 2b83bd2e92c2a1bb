namespace CamAssert.Imaging;

/// <summary>
/// A colour map for heatmaps: a 256-entry table of RGB colours in [0, 1], entry i standing for
/// the value i / 255. <see cref="Map"/> picks the entry as matplotlib does: ⌊v · 256⌋, clamped
/// to 0..255.
/// </summary>
public sealed class ColorMap
{
    /// <summary>Entries in every table.</summary>
    public const int Size = 256;

    private readonly (float R, float G, float B)[] _table;

    private ColorMap(string name, (float R, float G, float B)[] table) => (Name, _table) = (name, table);

    /// <summary>The map's name (jet, turbo, viridis, gist_rainbow).</summary>
    public string Name { get; }

    /// <summary>
    /// Jet: dark blue → cyan → yellow → dark red, matplotlib's piecewise-linear 'jet' segments
    /// sampled at i / 255 (equal to matplotlib's table). OpenCV's COLORMAP_JET, which
    /// pytorch-grad-cam's show_cam_on_image uses, follows GNU Octave's slightly different jet and
    /// quantises to 8 bits, so its pictures differ a little.
    /// </summary>
    public static ColorMap Jet { get; } = new("jet", Sample(v => (
        Segments(v, (0, 0), (0.35, 0), (0.66, 1), (0.89, 1), (1, 0.5)),
        Segments(v, (0, 0), (0.125, 0), (0.375, 1), (0.64, 1), (0.91, 0), (1, 0)),
        Segments(v, (0, 0.5), (0.11, 1), (0.34, 1), (0.65, 0), (1, 0)))));

    /// <summary>
    /// Turbo: Google's improved rainbow map, from its published degree-5 polynomial approximation
    /// (Anton Mikhailov, 2019) sampled at i / 255 and clamped to [0, 1]. The polynomial departs from
    /// Google's 256-entry table (which matplotlib ships) by 0.025 on average and up to 0.13 at the
    /// dark ends.
    /// </summary>
    public static ColorMap Turbo { get; } = new("turbo", Sample(v => (
        Polynomial(v, 0.13572138, 4.61539260, -42.66032258, 132.13108234, -152.94239396, 59.28637943),
        Polynomial(v, 0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604),
        Polynomial(v, 0.10667330, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973))));

    /// <summary>
    /// Viridis: perceptually uniform dark blue → green → yellow; matplotlib's published
    /// 256-entry table exactly (CC0; Smith, van der Walt and Firing).
    /// </summary>
    public static ColorMap Viridis { get; } = new("viridis", ViridisTable.Entries);

    /// <summary>
    /// gist_rainbow: red → yellow → green → cyan → blue → magenta, matplotlib's piecewise-linear segments
    /// sampled at i / 255 (equal to matplotlib's table). pytorch-grad-cam colours Deep Feature
    /// Factorization's concepts with it (<see cref="ConceptOverlay"/>).
    /// </summary>
    public static ColorMap GistRainbow { get; } = new("gist_rainbow", Sample(v => (
        Segments(v, (0, 1), (0.215, 1), (0.4, 0), (0.77, 0), (0.954, 1), (1, 1)),
        Segments(v, (0, 0), (0.03, 0), (0.215, 1), (0.586, 1), (0.77, 0), (1, 0)),
        Segments(v, (0, 0.16), (0.03, 0), (0.4, 0), (0.586, 1), (0.77, 1), (0.954, 1), (1, 0.75)))));

    /// <summary>Looks a map up by name: jet, turbo, viridis or gist_rainbow (any case).</summary>
    /// <exception cref="ArgumentException">The name is none of these.</exception>
    public static ColorMap Named(string name) => name?.ToLowerInvariant() switch
    {
        "jet" => Jet,
        "turbo" => Turbo,
        "viridis" => Viridis,
        "gist_rainbow" => GistRainbow,
        _ => throw new ArgumentException($"Unknown colour map '{name}'. Use jet, turbo, viridis or gist_rainbow.", nameof(name)),
    };

    /// <summary>Table entry <paramref name="index"/> (0..255) as RGB in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..255.</exception>
    public (float R, float G, float B) this[int index] => (uint)index < Size
        ? _table[index]
        : throw new ArgumentOutOfRangeException(nameof(index), $"Colour map '{Name}' has entries 0..{Size - 1}; {index} is outside them.");

    /// <summary>
    /// The colour of <paramref name="value"/> as RGB in [0, 1]: entry ⌊value · 256⌋ clamped to
    /// 0..255, so values below 0 take the first colour, values from 255/256 up the last, and NaN
    /// the first.
    /// </summary>
    public (float R, float G, float B) Map(float value) =>
        _table[float.IsNaN(value) ? 0 : (int)Math.Clamp(MathF.Floor(value * Size), 0, Size - 1)];

    /// <inheritdoc />
    public override string ToString() => Name;

    private static (float, float, float)[] Sample(Func<double, (double R, double G, double B)> color) =>
        Enumerable.Range(0, Size).Select(i =>
        {
            var (r, g, b) = color(i / (Size - 1.0));
            return ((float)Math.Clamp(r, 0, 1), (float)Math.Clamp(g, 0, 1), (float)Math.Clamp(b, 0, 1));
        }).ToArray();

    /// <summary>Linear interpolation through (x, y) points with x ascending from 0 to 1.</summary>
    private static double Segments(double v, params (double X, double Y)[] points)
    {
        for (int i = 1; i < points.Length; i++)
            if (v <= points[i].X)
                return points[i - 1].Y + (points[i].Y - points[i - 1].Y) * (v - points[i - 1].X) / (points[i].X - points[i - 1].X);
        return points[^1].Y;
    }

    /// <summary>c0 + c1·v + c2·v² + … (Horner).</summary>
    private static double Polynomial(double v, params double[] c)
    {
        double sum = 0;
        for (int i = c.Length - 1; i >= 0; i--) sum = sum * v + c[i];
        return sum;
    }
}
