using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;
using System.Runtime.CompilerServices;

namespace CamAssert.Cam;

/// <summary>
/// Computes heatmaps for a batch, layer by layer (the main layer and CamOptions.AdditionalLayers): one forward (keeping the layer's activation), one targeted
/// backward for all images' targets together (images in a batch do not mix), then the method's
/// map per image and pytorch-grad-cam's scaling: min-max, bilinear resize to the input size,
/// the per-layer maps fused (CamOptions.Fusion), min-max again.
/// </summary>
internal static class CamRunner
{
    /// <summary>One layer's result for one image: its map at layer resolution, and at input size (scaled, resized, ReLU'd), or why it is degenerate.</summary>
    private sealed record LayerResult(Layer Layer, ChannelMaps.Result Result, (int H, int W) Grid, float[] Scaled, string? Degenerate, string Target);

    public static Heatmap[] Run(CamModel model, Tensor input, IReadOnlyList<Target> targets, CamMethod method, LayerPath? layerPath, CamOptions options)
    {
        int batch = input.Shape[0];
        if (targets.Count != batch)
            throw new CamException($"The input holds {batch} image(s) but {targets.Count} target(s) were given; pass exactly one target per image.");
        return Run(model, input, targets.Select((t, i) => (t, i)).ToArray(), method, layerPath, options);
    }

    /// <summary>
    /// Heatmaps for any number of (target, image of the batch) requests, in request order: per layer, one forward
    /// per score layer, and one backward per round in which each image has at most one target.
    /// </summary>
    public static Heatmap[] Run(CamModel model, Tensor input, IReadOnlyList<(Target Target, int Image)> requests, CamMethod method, LayerPath? layerPath, CamOptions options)
    {
        if (method.IsPixelAttribution()) return PixelRunner.Run(model, input, requests, method, layerPath, options);
        if (method == CamMethod.FullGrad) return FullGradCam.Run(model, input, requests, options);
        var random = method == CamMethod.RandomCam ? new NumpyRandom(options.Seed) : null;
        return options.AugSmooth
            ? AugSmooth.Run(model, input, requests.Select(r => r.Image).ToArray(), x => RunOnce(model, x, requests, method, layerPath, options, random))
            : RunOnce(model, input, requests, method, layerPath, options, random);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Heatmap[] RunOnce(CamModel model, Tensor input, IReadOnlyList<(Target Target, int Image)> requests, CamMethod method, LayerPath? layerPath, CamOptions options, NumpyRandom? random)
    {
        var choices = new List<LayerChoice.Choice> { LayerChoice.Choose(model, layerPath, options.Layout) };
        choices.AddRange(options.AdditionalLayers.Select(p => LayerChoice.Choose(model, p, options.Layout)));
        var size = InputSize(model, input);
        var perLayer = choices.Select(c => RunLayer(model, input, requests, method, c.Layer, options, size, random)).ToArray();

        var heatmaps = new Heatmap[requests.Count];
        for (int n = 0; n < requests.Count; n++)
        {
            var first = perLayer[0][n];
            var warnings = choices.SelectMany(c => c.Warnings).Distinct().ToList();
            string layerText = choices.Count == 1 ? first.Layer.Path
                : $"{string.Join(" + ", choices.Select(c => c.Layer.Path))} ({options.Fusion.ToString().ToLowerInvariant()})";
            var source = new HeatmapSource(model.Name, layerText, choices[0].Reason, first.Target, method, warnings, model.Sha256);
            var live = perLayer.Select(l => l[n]).Where(l => l.Degenerate is null).ToList();
            string? degenerate = live.Count == 0 ? first.Degenerate : null;
            var values = degenerate is null ? MinMax(Fuse(live.Select(l => l.Scaled).ToList(), choices.Count, options.Fusion)) : new float[size.H * size.W];
            if (degenerate is null && !(values.Max() > 0))
                degenerate = $"the fused map of layers {layerText} is zero everywhere";
            if (degenerate is not null) values = new float[size.H * size.W];
            heatmaps[n] = new Heatmap(source, first.Result.Map, new MapSize(first.Grid.W, first.Grid.H), values, new MapSize(size.W, size.H),
                first.Result.Weights, first.Result.Contributions, degenerate);
        }
        return heatmaps;
    }

    /// <summary>The per-layer maps fused: mean over all layers (a degenerate layer counts as zeros, as in pytorch-grad-cam), or maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Fuse(IReadOnlyList<float[]> maps, int layers, LayerFusion fusion)
    {
        if (layers == 1) return maps[0];
        var r = new float[maps[0].Length];
        for (int i = 0; i < r.Length; i++)
        {
            float v = 0;
            foreach (var m in maps) v = fusion == LayerFusion.Max ? MathF.Max(v, m[i]) : v + m[i];
            r[i] = fusion == LayerFusion.Max ? v : v / layers;
        }
        return r;
    }

    /// <summary>
    /// One layer for every request: one forward per score layer (keeping the layer's activation), and per round
    /// (each image's k-th request) one targeted backward for all images' targets together (images in a batch do not mix).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LayerResult[] RunLayer(CamModel model, Tensor input, IReadOnlyList<(Target Target, int Image)> requests, CamMethod method, Layer layer,
        CamOptions options, (int H, int W) size, NumpyRandom? random)
    {
        var context = TargetContext.Of(model);
        var results = new LayerResult[requests.Count];
        float[]? draws = null;
        int batch = input.Shape[0];
        foreach (var group in requests.Select((r, n) => (r.Target, r.Image, n)).GroupBy(p => p.Target.ScoreLayer?.Text))
        {
            var scoreLayer = group.Key is null ? null : model.Layer(group.Key);
            using var pass = model.Forward(input, layer, scoreLayer);
            var activation = pass.Activation;
            var layout = MapLayouts.Resolve(options.Layout, model.Input, activation.Shape.Select(d => (long)d).ToArray());
            var grid = MapLayouts.Grid(activation.Shape.Select(d => (long)d).ToArray(), layout)
                ?? throw new CamException($"Layer '{layer.Path}' of '{model.Name}' produced shape {Tensor.ShapeText(activation.Shape)}, which is not a map in {layout} layout. Set CamOptions.Layout, or choose another layer.");
            CheckFinite(activation, "activations", layer, model);
            // pytorch-grad-cam draws the whole batch's RandomCAM weights at once, layer by layer.
            if (random is not null) draws ??= Enumerable.Range(0, batch * grid.K).Select(_ => (float)random.Uniform(-1, 1)).ToArray();
            var effective = group.ToDictionary(p => p.n, p => method == CamMethod.FinerCam ? FinerCam(p.Target, pass.Output, p.Image, context) : p.Target);

            foreach (var round in group.GroupBy(r => group.Count(o => o.Image == r.Image && o.n < r.n)).OrderBy(g => g.Key))
            {
                Tensor? gradient = null;
                if (method.UsesGradients())
                {
                    var seed = new float[pass.Output.Length];
                    foreach (var (_, i, n) in round)
                    {
                        var s = effective[n].Seed(pass.Output, i, context).F;
                        for (int j = 0; j < seed.Length; j++) seed[j] += s[j];
                    }
                    gradient = pass.Gradient(Tensor.FromFloats(pass.Output.Shape, seed));
                    if (method == CamMethod.ShapleyCam)
                        gradient = ShapleyCam.Gradient(pass, Tensor.FromFloats(pass.Output.Shape, seed), gradient, round.Select(r => (effective[r.n], r.Image)).ToList(), context, layer);
                    CheckFinite(gradient, "gradients", layer, model);
                }

                foreach (var (_, image, n) in round)
                {
                    var target = effective[n];
                    var a = MapLayouts.ChannelMajor(activation, image, layout, grid);
                    if (options.RectifyActivation) for (int i = 0; i < a.Length; i++) a[i] = MathF.Max(a[i], 0);
                    var g = gradient is null ? null : MapLayouts.ChannelMajor(gradient, image, layout, grid);
                    var planes = new MethodMaps.Planes(a, g, grid.K, grid.H * grid.W, target, options,
                        () => ScoreCam.Weights(model, input, image, target, a, grid, size), draws?[(image * grid.K)..((image + 1) * grid.K)],
                        () => AblationCam.Weights(pass, image, layout, grid, target, context),
                        () => TorchCam.TorchCamMethods.Map(method, new(model, input, image, layer, layout, grid, size, pass.Output), a, target, options));
                    results[n] = Scale(MethodMaps.Compute(method, planes), target.Describe(context), g, layer, (grid.H, grid.W), size);
                }
            }
        }
        return results;
    }

    /// <summary>pytorch-grad-cam's scaling of one layer's map: min-max, bilinear resize to the input size, ReLU (the fused map is min-maxed once more).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LayerResult Scale(ChannelMaps.Result result, string target, float[]? g, Layer layer, (int H, int W) grid, (int H, int W) size)
    {
        string? degenerate = g is not null && g.All(v => v == 0)
            ? $"the gradient of {target} with respect to layer '{layer.Path}' is zero everywhere (the target does not depend on this layer for this image, or every ReLU after it is inactive)"
            : null;
        if (degenerate is null && !(result.Map.Max() > 0))
            degenerate = $"no position of layer '{layer.Path}' has positive evidence for {target} (the map is zero after the ReLU)";
        var scaled = new float[size.H * size.W];
        if (degenerate is null)
        {
            scaled = Resample.Bilinear(MinMax(result.Map), grid.H, grid.W, size.H, size.W);
            for (int i = 0; i < scaled.Length; i++) scaled[i] = Math.Max(scaled[i], 0);
        }
        return new LayerResult(layer, result, grid, scaled, degenerate, target);
    }

    /// <summary>Finer-CAM's target: a class logit becomes the contrast with its three nearest classes; a Finer target stays.</summary>
    private static Target FinerCam(Target target, Tensor output, int image, TargetContext context) => target switch
    {
        FinerTarget finer => finer,
        ClassTarget { IsProbability: false } c => FinerTarget.Nearest(output, image, c.Index(context, output), context),
        _ => throw new CamException($"Finer-CAM contrasts a class with its rivals: give Target.Class(index) (rivals: the three nearest classes) or Target.Finer(main, rivals), not {target.Describe(context)}."),
    };

    /// <summary>pytorch-grad-cam's scale_cam_image without resize: x − min, then ÷ (1e-7 + max).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float[] MinMax(float[] map)
    {
        float min = map.Min();
        var r = new float[map.Length];
        for (int i = 0; i < r.Length; i++) r[i] = map[i] - min;
        float max = r.Max();
        for (int i = 0; i < r.Length; i++) r[i] /= 1e-7f + max;
        return r;
    }

    internal static (int H, int W) InputSize(CamModel model, Tensor input) =>
        model.Input.ImageSize(input.Shape)
            ?? throw new CamException($"The input of '{model.Name}' has shape {Tensor.ShapeText(input.Shape)}; CAMs need an image input of rank 4.");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckFinite(Tensor t, string what, Layer layer, CamModel model)
    {
        var f = t.F;
        for (int i = 0; i < f.Length; i++)
            if (!float.IsFinite(f[i]))
                throw new CamException($"The {what} at layer '{layer.Path}' of '{model.Name}' contain {f[i]} (element {i} of {Tensor.ShapeText(t.Shape)}). Check the input for NaN or infinite values, and the model's weights.");
    }
}
