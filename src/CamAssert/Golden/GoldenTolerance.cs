using CamAssert.Heatmaps;

namespace CamAssert.Golden;

/// <summary>
/// How far a map may drift from its golden file and still pass. The defaults come from
/// measurements on the shapes fixture (docs/GOLDEN.md): the same model across thread counts and
/// runs gives identical maps (the 16-bit file adds at most 1/65535), while a map whose peak moved
/// to another object differs by more than 0.5 at its maximum with a correlation below 0.5.
/// </summary>
public sealed record GoldenTolerance
{
    /// <summary>The default: max |Δ| ≤ 0.02, Pearson ≥ 0.99, top-20 % IoU ≥ 0.8.</summary>
    public static GoldenTolerance Default { get; } = new();

    /// <summary>Bit-for-bit up to the file's 16-bit quantisation.</summary>
    public static GoldenTolerance Exact { get; } = new() { MaxAbsDifference = 1.0 / 65535, MinPearson = 0, MinTopIoU = 0 };

    /// <summary>Largest allowed absolute difference at any pixel (maps are in [0, 1]).</summary>
    public double MaxAbsDifference { get; init; } = 0.02;

    /// <summary>Smallest allowed Pearson correlation.</summary>
    public double MinPearson { get; init; } = 0.99;

    /// <summary>Smallest allowed IoU of the two maps' top-20 % masks.</summary>
    public double MinTopIoU { get; init; } = 0.8;

    /// <summary>The reasons <paramref name="c"/> fails this tolerance (empty when it passes).</summary>
    public IReadOnlyList<string> Violations(HeatmapComparison c)
    {
        var r = new List<string>();
        if (c.MaxAbsDifference > MaxAbsDifference + 1e-12) r.Add($"max |difference| {c.MaxAbsDifference:0.####} > {MaxAbsDifference:0.####}");
        if (c.Pearson < MinPearson) r.Add($"Pearson correlation {c.Pearson:0.####} < {MinPearson:0.####}");
        if (c.TopIoU < MinTopIoU) r.Add($"top-20% IoU {c.TopIoU:0.###} < {MinTopIoU:0.###}");
        return r;
    }
}
