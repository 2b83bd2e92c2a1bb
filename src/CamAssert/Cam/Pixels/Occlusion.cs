using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// Captum's Occlusion window, in one image's terms (channels, rows, columns, whatever the input layout):
/// the window slides from the corner by the strides until the image is covered (a last window may be cut
/// off at the edge), and every element inside it is replaced by <see cref="Baseline"/>.
/// </summary>
public sealed record OcclusionOptions
{
    /// <summary>The defaults: an 8×8 window over all channels, stride 4, baseline 0 (Captum has no default window; this is CamAssert's).</summary>
    public static OcclusionOptions Default { get; } = new();

    /// <summary>Window height in pixels (Captum's sliding_window_shapes, H).</summary>
    public int WindowHeight { get; init; } = 8;

    /// <summary>Window width in pixels (sliding_window_shapes, W).</summary>
    public int WindowWidth { get; init; } = 8;

    /// <summary>Window depth in channels (sliding_window_shapes, C); null: every channel.</summary>
    public int? WindowChannels { get; init; }

    /// <summary>Vertical step (Captum's strides, H).</summary>
    public int StrideY { get; init; } = 4;

    /// <summary>Horizontal step (strides, W).</summary>
    public int StrideX { get; init; } = 4;

    /// <summary>Step across channels (strides, C); null: the window's depth.</summary>
    public int? ChannelStride { get; init; }

    /// <summary>The value occluded elements take (Captum's baselines, default 0).</summary>
    public float Baseline { get; init; }
}

/// <summary>
/// Captum's Occlusion (Zeiler and Fergus 2014), as <c>Occlusion.attribute</c> computes it: for each window
/// position, score(input) − score(input with the window set to the baseline); each element's attribution is
/// the mean of that difference over the windows that cover it. The occluded inputs run in batches when the
/// model's batch axis is free. Gradient-free; needs only the backend's forward.
/// </summary>
public static class OcclusionAttribution
{
    /// <summary>
    /// The occlusion attribution of image <paramref name="image"/> of <paramref name="input"/> for
    /// <paramref name="target"/>: one value per input element, in the model input's layout, shape [1, …].
    /// </summary>
    /// <exception cref="ArgumentException">The window is larger than the image, or a stride exceeds its window (Captum's checks), or a size is not positive.</exception>
    public static Tensor Occlusion(this CamModel model, Tensor input, Target target, OcclusionOptions? options = null, int image = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        options ??= OcclusionOptions.Default;
        if (image < 0 || image >= input.Shape[0])
            throw new ArgumentOutOfRangeException(nameof(image), image, $"The input holds {input.Shape[0]} image(s).");
        var (h, w) = CamRunner.InputSize(model, input);
        int per = input.Length / input.Shape[0], plane = h * w, channels = per / plane;
        var window = new[] { options.WindowChannels ?? channels, options.WindowHeight, options.WindowWidth };
        var stride = new[] { options.ChannelStride ?? window[0], options.StrideY, options.StrideX };
        var dims = new[] { channels, h, w };
        var counts = new int[3];
        string[] names = ["channels", "height", "width"];
        for (int d = 0; d < 3; d++)
        {
            if (window[d] < 1 || stride[d] < 1)
                throw new ArgumentException($"The occlusion window and strides must be positive, but the {names[d]} window is {window[d]} and its stride {stride[d]}.", nameof(options));
            if (window[d] > dims[d])
                throw new ArgumentException($"The occlusion window's {names[d]} ({window[d]}) exceeds the image's ({dims[d]}) in '{model.Name}'. Use a smaller window.", nameof(options));
            if (dims[d] > window[d] && stride[d] > window[d])
                throw new ArgumentException($"The occlusion stride in {names[d]} ({stride[d]}) exceeds the window ({window[d]}), which would leave elements never occluded (Captum refuses it too). Use a stride up to the window.", nameof(options));
            counts[d] = (dims[d] - window[d] + stride[d] - 1) / stride[d] + 1;
        }
        var one = input.F.AsSpan(image * per, per).ToArray();
        int windows = counts[0] * counts[1] * counts[2];
        int[] shape = input.Shape[1..];
        double initial = BatchedScores.Of(model, shape, 1, (_, x) => one.CopyTo(x), target)[0];
        var scores = BatchedScores.Of(model, shape, windows, (n, x) =>
        {
            one.CopyTo(x);
            foreach (int at in Covered(n, counts, window, stride, dims, model)) x[at] = options.Baseline;
        }, target);
        var total = new float[per];
        var cover = new float[per];
        for (int n = 0; n < windows; n++)
        {
            float diff = (float)initial - (float)scores[n];
            foreach (int at in Covered(n, counts, window, stride, dims, model)) { total[at] += diff; cover[at] += 1; }
        }
        for (int i = 0; i < per; i++) total[i] /= cover[i];
        return Tensor.FromFloats([1, .. shape], total);
    }

    /// <summary>The indices (in the model's layout) of the elements window <paramref name="n"/> covers; windows are numbered channel fastest.</summary>
    private static IEnumerable<int> Covered(int n, int[] counts, int[] window, int[] stride, int[] dims, CamModel model)
    {
        int c0 = n % counts[0] * stride[0], y0 = n / counts[0] % counts[1] * stride[1], x0 = n / (counts[0] * counts[1]) * stride[2];
        int plane = dims[1] * dims[2];
        for (int c = c0; c < Math.Min(c0 + window[0], dims[0]); c++)
            for (int y = y0; y < Math.Min(y0 + window[1], dims[1]); y++)
                for (int x = x0; x < Math.Min(x0 + window[2], dims[2]); x++)
                    yield return model.Input.IndexOf(c, y * dims[2] + x, dims[0], plane);
    }
}
