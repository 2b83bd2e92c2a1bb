using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;

namespace CamAssert.Cam;

/// <summary>
/// Computes heatmaps for a batch: one forward (keeping the layer's activation), one targeted
/// backward for all images' targets together (images in a batch do not mix), then the method's
/// map per image and pytorch-grad-cam's scaling: min-max, bilinear resize to the input size,
/// min-max again.
/// </summary>
internal static class CamRunner
{
    public static Heatmap[] Run(CamModel model, Tensor input, IReadOnlyList<Target> targets, CamMethod method, LayerPath? layerPath, CamOptions options)
    {
        int batch = input.Shape[0];
        if (targets.Count != batch)
            throw new CamException($"The input holds {batch} image(s) but {targets.Count} target(s) were given; pass exactly one target per image.");
        return Run(model, input, targets.Select((t, i) => (t, i)).ToArray(), method, layerPath, options);
    }

    /// <summary>
    /// Heatmaps for any number of (target, image of the batch) requests, in request order: one forward
    /// per score layer, and one backward per round in which each image has at most one target.
    /// </summary>
    public static Heatmap[] Run(CamModel model, Tensor input, IReadOnlyList<(Target Target, int Image)> requests, CamMethod method, LayerPath? layerPath, CamOptions options)
    {
        var choice = LayerChoice.Choose(model, layerPath, options.Layout);
        var layer = choice.Layer;
        var (inH, inW) = InputSize(model, input);
        var context = TargetContext.Of(model);

        var groups = requests.Select((r, n) => (r.Target, r.Image, n)).GroupBy(p => p.Target.ScoreLayer?.Text);
        var heatmaps = new Heatmap[requests.Count];
        foreach (var group in groups)
        {
            var scoreLayer = group.Key is null ? null : model.Layer(group.Key);
            using var pass = model.Forward(input, layer, scoreLayer);
            var activation = pass.Activation;
            var layout = MapLayouts.Resolve(options.Layout, model.Input, activation.Shape.Select(d => (long)d).ToArray());
            var grid = MapLayouts.Grid(activation.Shape.Select(d => (long)d).ToArray(), layout)
                ?? throw new CamException($"Layer '{layer.Path}' of '{model.Name}' produced shape {Tensor.ShapeText(activation.Shape)}, which is not a map in {layout} layout. Set CamOptions.Layout, or choose another layer.");
            CheckFinite(activation, "activations", layer, model);

            // Images in a batch do not mix, so one backward serves one target of every image: round k takes each image's k-th request.
            foreach (var round in group.GroupBy(r => group.Count(o => o.Image == r.Image && o.n < r.n)).OrderBy(g => g.Key))
            {
                Tensor? gradient = null;
                if (method.UsesGradients())
                {
                    var seed = new float[pass.Output.Length];
                    foreach (var (t, i, _) in round)
                    {
                        var s = t.Seed(pass.Output, i, context).F;
                        for (int j = 0; j < seed.Length; j++) seed[j] += s[j];
                    }
                    gradient = pass.Gradient(Tensor.FromFloats(pass.Output.Shape, seed));
                    CheckFinite(gradient, "gradients", layer, model);
                }

                foreach (var (target, image, n) in round)
                {
                    var a = MapLayouts.ChannelMajor(activation, image, layout, grid);
                    var g = gradient is null ? null : MapLayouts.ChannelMajor(gradient, image, layout, grid);
                    var source = new HeatmapSource(model.Name, layer.Path, choice.Reason, target.Describe(context), method, choice.Warnings, model.Sha256);
                    heatmaps[n] = Build(model, input, image, target, method, a, g, grid, (inH, inW), source, layer);
                }
            }
        }
        return heatmaps;
    }

    private static Heatmap Build(CamModel model, Tensor input, int image, Target target, CamMethod method, float[] a, float[]? g,
        (int K, int H, int W) grid, (int H, int W) size, HeatmapSource source, Layer layer)
    {
        int k = grid.K, hw = grid.H * grid.W;
        string? degenerate = g is not null && g.All(v => v == 0)
            ? $"the gradient of {source.Target} with respect to layer '{layer.Path}' is zero everywhere (the target does not depend on this layer for this image, or every ReLU after it is inactive)"
            : null;
        var result = method switch
        {
            CamMethod.GradCam => ChannelMaps.Weighted(a, ChannelMaps.MeanGradients(g!, k, hw), k, hw),
            CamMethod.GradCamPlusPlus => ChannelMaps.Weighted(a, ChannelMaps.PlusPlusWeights(a, g!, k, hw), k, hw),
            CamMethod.XGradCam => ChannelMaps.Weighted(a, ChannelMaps.XGradWeights(a, g!, k, hw), k, hw),
            CamMethod.HiResCam => ChannelMaps.Elementwise(a, g!, k, hw, reluGradient: false),
            CamMethod.LayerCam => ChannelMaps.Elementwise(a, g!, k, hw, reluGradient: true),
            CamMethod.ScoreCam => ChannelMaps.Weighted(a, ScoreCam.Weights(model, input, image, target, a, grid, size), k, hw),
            CamMethod.EigenCam => ChannelMaps.Eigen(a, k, hw),
            _ => ChannelMaps.Weighted(a, OneHot(target, k), k, hw),
        };
        if (degenerate is null && !(result.Map.Max() > 0))
            degenerate = $"no position of layer '{layer.Path}' has positive evidence for {source.Target} (the map is zero after the ReLU)";

        float[] values;
        if (degenerate is not null) values = new float[size.H * size.W];
        else
        {
            var scaled = Resample.Bilinear(MinMax(result.Map), grid.H, grid.W, size.H, size.W);
            for (int i = 0; i < scaled.Length; i++) scaled[i] = Math.Max(scaled[i], 0);
            values = MinMax(scaled);
        }
        return new Heatmap(source, result.Map, new MapSize(grid.W, grid.H), values, new MapSize(size.W, size.H), result.Weights, result.Contributions, degenerate);
    }

    /// <summary>pytorch-grad-cam's scale_cam_image without resize: x − min, then ÷ (1e-7 + max).</summary>
    internal static float[] MinMax(float[] map)
    {
        float min = map.Min();
        var r = new float[map.Length];
        for (int i = 0; i < r.Length; i++) r[i] = map[i] - min;
        float max = r.Max();
        for (int i = 0; i < r.Length; i++) r[i] /= 1e-7f + max;
        return r;
    }

    private static float[] OneHot(Target target, int k)
    {
        if (target is not ChannelTarget channel)
            throw new CamException("The activation method shows one channel of the layer: use Target.Channel(k) to say which.");
        if (channel.Index < 0 || channel.Index >= k) throw new CamException($"Channel {channel.Index} is out of range: the layer has {k} channels (0 to {k - 1}).");
        var w = new float[k];
        w[channel.Index] = 1;
        return w;
    }

    internal static (int H, int W) InputSize(CamModel model, Tensor input) =>
        model.Input.ImageSize(input.Shape)
            ?? throw new CamException($"The input of '{model.Name}' has shape {Tensor.ShapeText(input.Shape)}; CAMs need an image input of rank 4.");

    private static void CheckFinite(Tensor t, string what, Layer layer, CamModel model)
    {
        var f = t.F;
        for (int i = 0; i < f.Length; i++)
            if (!float.IsFinite(f[i]))
                throw new CamException($"The {what} at layer '{layer.Path}' of '{model.Name}' contain {f[i]} (element {i} of {Tensor.ShapeText(t.Shape)}). Check the input for NaN or infinite values, and the model's weights.");
    }
}
