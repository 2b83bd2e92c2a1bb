using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Cam.Factorization;

/// <summary>
/// Deep Feature Factorization (Collins et al. 2018; pytorch-grad-cam's <c>DeepFeatureFactorization</c>): the layer's
/// activations for the whole batch, each channel shifted to a minimum of 0, factorised by non-negative matrix
/// factorisation into <see cref="Components"/> concepts. Class-agnostic: no target and no gradient.
/// </summary>
/// <param name="Layer">The layer factorised.</param>
/// <param name="Components">The number of concepts.</param>
/// <param name="Channels">The layer's channels.</param>
/// <param name="Concepts">Channels × components, row-major: each concept's channel vector (NMF's W plus each channel's offset), pytorch-grad-cam's <c>concepts</c>.</param>
/// <param name="Maps">Per image, per concept, the concept's map at input size (H × W, row-major): NMF's H min-max scaled and bilinearly resized, pytorch-grad-cam's processed explanations.</param>
/// <param name="Height">The maps' height (the input's).</param>
/// <param name="Width">The maps' width (the input's).</param>
/// <param name="Factors">Per image, per concept, NMF's H at layer resolution (<see cref="LayerHeight"/> × <see cref="LayerWidth"/>), unscaled.</param>
/// <param name="LayerHeight">The layer's height.</param>
/// <param name="LayerWidth">The layer's width.</param>
/// <param name="Iterations">How many coordinate-descent iterations the factorisation ran (scikit-learn's <c>n_iter_</c>; at most 200).</param>
/// <param name="Scores">Components × classes, row-major: the model's classifier (its final linear layer, read by the layer's global average pool) applied to each concept, pytorch-grad-cam's <c>computation_on_concepts=model.fc</c>; null when the model has no such head (<see cref="ScoresUnavailable"/> says why).</param>
/// <param name="Classes">The classifier's classes (0 without scores).</param>
/// <param name="ScoresUnavailable">Why there are no scores, or null.</param>
public sealed record FeatureFactorization(string Layer, int Components, int Channels, float[] Concepts, float[][][] Maps, int Height, int Width,
    float[][][] Factors, int LayerHeight, int LayerWidth, int Iterations, float[]? Scores, int Classes, string? ScoresUnavailable)
{
    /// <summary>The class the classifier scores highest for concept <paramref name="concept"/>.</summary>
    /// <exception cref="InvalidOperationException">There are no scores (see <see cref="ScoresUnavailable"/>).</exception>
    public int TopClass(int concept)
    {
        var scores = Scores ?? throw new InvalidOperationException($"The concepts of layer '{Layer}' have no scores: {ScoresUnavailable}");
        _ = Concept(concept);
        int best = 0;
        for (int c = 1; c < Classes; c++) if (scores[concept * Classes + c] > scores[concept * Classes + best]) best = c;
        return best;
    }

    /// <summary>Concept <paramref name="concept"/>'s channel vector (length <see cref="Channels"/>).</summary>
    public float[] Concept(int concept)
    {
        if (concept < 0 || concept >= Components) throw new ArgumentOutOfRangeException(nameof(concept), concept, $"The factorisation of layer '{Layer}' has {Components} concepts (0 to {Components - 1}).");
        var v = new float[Channels];
        for (int c = 0; c < Channels; c++) v[c] = Concepts[c * Components + concept];
        return v;
    }

    /// <summary>For image <paramref name="image"/>, the concept whose map is largest at each pixel (what pytorch-grad-cam's show_factorization_on_image colours).</summary>
    public int[] ConceptPerPixel(int image = 0)
    {
        var maps = Maps[image];
        var r = new int[Height * Width];
        for (int i = 0; i < r.Length; i++)
            for (int j = 1; j < maps.Length; j++)
                if (maps[j][i] > maps[r[i]][i]) r[i] = j;
        return r;
    }
}

/// <summary>Deep Feature Factorization on a <see cref="CamModel"/> (any backend: it needs only the layer's activation).</summary>
public static class FeatureFactorizations
{
    /// <summary>
    /// Factorises the activations of <paramref name="layer"/> (default: chosen as for CAMs) over the whole batch of
    /// <paramref name="input"/> into <paramref name="components"/> concepts, exactly as pytorch-grad-cam's
    /// <c>DeepFeatureFactorization(model, layer)(input, n_components)</c> with scikit-learn's NMF (init 'random',
    /// random_state 0, coordinate descent, tol 1e-4, 200 iterations). pytorch-grad-cam's class defaults to 16
    /// components, its <c>dff</c> function and <c>run_dff_on_image</c> to 5. <paramref name="options"/>: only Layout applies.
    /// </summary>
    public static FeatureFactorization FactorizeFeatures(this CamModel model, Tensor input, int components = 5, LayerPath? layer = null, CamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (components < 1) throw new CamException($"Deep Feature Factorization needs at least one component, but {components} were asked for.");
        options ??= new CamOptions();
        var choice = LayerChoice.Choose(model, layer, options.Layout);
        var size = CamRunner.InputSize(model, input);
        using var pass = model.Forward(input, choice.Layer);
        var activation = pass.Activation;
        var shape = activation.Shape.Select(d => (long)d).ToArray();
        var layout = MapLayouts.Resolve(options.Layout, model.Input, shape);
        var grid = MapLayouts.Grid(shape, layout)
            ?? throw new CamException($"Layer '{choice.Layer.Path}' of '{model.Name}' produced shape {Tensor.ShapeText(activation.Shape)}, which is not a map in {layout} layout. Set CamOptions.Layout, or choose another layer.");
        int batch = input.Shape[0], hw = grid.H * grid.W, m = batch * hw, k = grid.K;

        // pytorch-grad-cam: channels × (images · positions), NaN set to 0, each channel minus its minimum.
        var x = new float[k * m];
        for (int b = 0; b < batch; b++)
        {
            var a = MapLayouts.ChannelMajor(activation, b, layout, grid);
            for (int c = 0; c < k; c++)
                for (int i = 0; i < hw; i++) x[c * m + b * hw + i] = float.IsNaN(a[c * hw + i]) ? 0 : a[c * hw + i];
        }
        var offset = new float[k];
        for (int c = 0; c < k; c++)
        {
            float min = float.PositiveInfinity;
            for (int i = 0; i < m; i++) min = Math.Min(min, x[c * m + i]);
            if (!float.IsFinite(min))
                throw new CamException($"The activations of layer '{choice.Layer.Path}' of '{model.Name}' contain an infinite value in channel {c}: check the input and the model's weights.");
            offset[c] = min;
            for (int i = 0; i < m; i++) x[c * m + i] -= min;
        }

        var nmf = NonNegativeFactorization.Fit(x, k, m, components);
        var concepts = new float[k * components];
        for (int c = 0; c < k; c++) for (int j = 0; j < components; j++) concepts[c * components + j] = nmf.W[c * components + j] + offset[c];
        var factors = new float[batch][][];
        var maps = new float[batch][][];
        for (int b = 0; b < batch; b++)
        {
            factors[b] = new float[components][];
            maps[b] = new float[components][];
            for (int j = 0; j < components; j++)
            {
                factors[b][j] = nmf.H.AsSpan(j * m + b * hw, hw).ToArray();
                maps[b][j] = Resample.Bilinear(CamRunner.MinMax(factors[b][j]), grid.H, grid.W, size.H, size.W);
            }
        }
        var (scores, classes, why) = Scores(model, choice.Layer, concepts, k, components);
        return new FeatureFactorization(choice.Layer.Path, components, k, concepts, maps, size.H, size.W, factors, grid.H, grid.W, nmf.Iterations, scores, classes, why);
    }

    /// <summary>The classifier on each concept: Σ_c weight[class, c] · concept[c] + bias[class] (in double, rounded to float).</summary>
    private static (float[]? Scores, int Classes, string? Why) Scores(CamModel model, Models.Layers.Layer layer, float[] concepts, int k, int components)
    {
        Tensor weights, bias;
        try
        {
            weights = model.Backend.ClassifierWeights(layer);
            bias = model.Backend.ClassifierBias(layer);
        }
        catch (NotSupportedException e) { return (null, 0, e.Message); }
        int classes = weights.Shape[0];
        if (weights.Shape[1] != k)
            return (null, 0, $"the classifier of '{model.Name}' takes {weights.Shape[1]} features but layer '{layer.Path}' has {k} channels: choose the layer its global average pool reads");
        var scores = new float[components * classes];
        for (int j = 0; j < components; j++)
            for (int c = 0; c < classes; c++)
            {
                double s = bias.F[c];
                for (int ch = 0; ch < k; ch++) s += (double)weights.F[c * k + ch] * concepts[ch * components + j];
                scores[j * classes + c] = (float)s;
            }
        return (scores, classes, null);
    }
}
