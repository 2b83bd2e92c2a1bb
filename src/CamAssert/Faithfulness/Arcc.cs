using CamAssert.Cam;
using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Faithfulness;

/// <summary>
/// pytorch-grad-cam's ARCC and its parts (pytorch_grad_cam/metrics/arcc.py at 084273b, after its 1.5.5 version
/// bump): Complexity (the map's mean |value|), Coherency ((Pearson(map, the method's map of input ⊙ map) + 1) / 2)
/// and ROAD (ROADCombined at 20, 40, 60, 80, doubled and clipped to [0, 1]). Its docstring calls ARCC their
/// geometric mean; its code computes the harmonic mean 3 / (1/(coherency + 1e-8) + 1/(1 − complexity + 1e-8)
/// + 1/(road + 1e-8)), which is what CamAssert computes. Higher is better.
/// </summary>
public static class ArccMetrics
{
    /// <summary>pytorch-grad-cam's ARCC percentiles for ROADCombined: 20, 40, 60, 80.</summary>
    public static IReadOnlyList<double> RoadPercentiles { get; } = [20, 40, 60, 80];

    /// <summary>Complexity: the mean absolute value of the map (0 for an all-zero map, 1 for an all-one map).</summary>
    public static double Complexity(ReadOnlySpan<float> map)
    {
        if (map.IsEmpty) throw new ArgumentException("The map is empty.", nameof(map));
        double sum = 0;
        foreach (var v in map) sum += Math.Abs(v);
        return sum / map.Length;
    }

    /// <summary>
    /// Coherency: the input is multiplied by the map (every channel), the same method computes the map of that
    /// input again, and the result is (Pearson correlation of the two maps + 1) / 2 (pytorch-grad-cam's
    /// batch_pearson_coherency: sample statistics, ε = 1e-8 in the denominator).
    /// </summary>
    public static double Coherency(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, CamMethod method, LayerPath? layer = null, CamOptions? options = null, int image = 0)
    {
        var one = MapOnImage.Of(model, input, map.Length, image);
        int pixels = one.Pixels, channels = one.Channels;
        var mixed = one.Values;
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < pixels; p++) mixed[model.Input.IndexOf(c, p, channels, pixels)] *= map[p];
        var again = model.Cam(Tensor.FromFloats([1, .. input.Shape[1..]], mixed), target, method, layer, options).Values;
        return (Pearson(again, map) + 1) / 2;
    }

    /// <summary>ARCC: the harmonic mean of Coherency, 1 − Complexity and ROAD (see the class summary).</summary>
    public static double Arcc(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, CamMethod method, LayerPath? layer = null, CamOptions? options = null,
        RoadOptions? road = null, int image = 0)
    {
        double complexity = Complexity(map);
        double coherency = model.Coherency(input, map, target, method, layer, options, image);
        double roadScore = Math.Clamp(2 * model.RoadCombined(input, map, target, RoadPercentiles, road, image), 0, 1);
        return 3 / (1 / (coherency + 1e-8) + 1 / (1 - complexity + 1e-8) + 1 / (roadScore + 1e-8));
    }

    private static double Pearson(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
        ma /= n;
        mb /= n;
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < n; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            cov += da * db;
            va += da * da;
            vb += db * db;
        }
        return cov / (n - 1) / (Math.Sqrt(va / (n - 1)) * Math.Sqrt(vb / (n - 1)) + 1e-8);
    }
}
