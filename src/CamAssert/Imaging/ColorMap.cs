namespace CamAssert.Imaging;

/// <summary>Colour maps for heatmaps: jet (OpenCV's COLORMAP_JET, pytorch-grad-cam's default), turbo and viridis.</summary>
public sealed class ColorMap
{
    private readonly Func<double, (double R, double G, double B)> _f;

    private ColorMap(string name, Func<double, (double, double, double)> f) => (Name, _f) = (name, f);

    /// <summary>The map's name.</summary>
    public string Name { get; }

    /// <summary>Jet: dark blue → cyan → yellow → dark red (piecewise linear, as matplotlib and OpenCV define it).</summary>
    public static ColorMap Jet { get; } = new("jet", v => (
        Piecewise(v, (0, 0), (0.35, 0), (0.66, 1), (0.89, 1), (1, 0.5)),
        Piecewise(v, (0, 0), (0.125, 0), (0.375, 1), (0.64, 1), (0.91, 0), (1, 0)),
        Piecewise(v, (0, 0.5), (0.11, 1), (0.34, 1), (0.65, 0), (1, 0))));

    /// <summary>Turbo: Google's improved rainbow (its published polynomial approximation).</summary>
    public static ColorMap Turbo { get; } = new("turbo", v =>
    (
        0.13572138 + v * (4.61539260 + v * (-42.66032258 + v * (132.13108234 + v * (-152.94239396 + v * 59.28637943)))),
        0.09140261 + v * (2.19418839 + v * (4.84296658 + v * (-14.18503333 + v * (4.27729857 + v * 2.82956604)))),
        0.10667330 + v * (12.64194608 + v * (-60.58204836 + v * (110.36276771 + v * (-89.90310912 + v * 27.34824973))))
    ));

    /// <summary>Viridis: perceptually uniform (a degree-6 polynomial fit to matplotlib's table, within about 1/255).</summary>
    public static ColorMap Viridis { get; } = new("viridis", v =>
    (
        0.2777273272234177 + v * (0.1050930431085774 + v * (-0.3308618287255563 + v * (-4.634230498983486 + v * (6.228269936347081 + v * (4.776384997670288 + v * -5.435455855934631))))),
        0.005407344544966578 + v * (1.404613529898575 + v * (0.214847559468213 + v * (-5.799100973351585 + v * (14.17993336680509 + v * (-13.74514537774601 + v * 4.645852612178535))))),
        0.3340998053353061 + v * (1.384590162594685 + v * (0.09509516302823659 + v * (-19.33244095627987 + v * (56.69055260068105 + v * (-65.35303263337234 + v * 26.3124352495832)))))
    ));

    /// <summary>Looks a map up by name (jet, turbo, viridis).</summary>
    public static ColorMap Named(string name) => name.ToLowerInvariant() switch
    {
        "jet" => Jet,
        "turbo" => Turbo,
        "viridis" => Viridis,
        _ => throw new ArgumentException($"Unknown colour map '{name}'. Use jet, turbo or viridis."),
    };

    /// <summary>The colour of <paramref name="value"/> (clamped to [0, 1]) as RGB in [0, 1].</summary>
    public (float R, float G, float B) Map(float value)
    {
        var (r, g, b) = _f(Math.Clamp(float.IsNaN(value) ? 0 : value, 0, 1));
        return ((float)Math.Clamp(r, 0, 1), (float)Math.Clamp(g, 0, 1), (float)Math.Clamp(b, 0, 1));
    }

    /// <summary>Linear interpolation through control points (x ascending).</summary>
    private static double Piecewise(double v, params (double X, double Y)[] points)
    {
        for (int i = 1; i < points.Length; i++)
            if (v <= points[i].X)
                return points[i - 1].Y + (points[i].Y - points[i - 1].Y) * (v - points[i - 1].X) / (points[i].X - points[i - 1].X);
        return points[^1].Y;
    }
}
