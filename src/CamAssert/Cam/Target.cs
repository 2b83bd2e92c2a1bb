using CamAssert.Heatmaps;
using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Cam;

/// <summary>
/// What the heatmap explains: a class logit, a class probability, a feature channel of the
/// output or of any layer, or a score of your own. A target turns the model's output for one
/// image into a score and the gradient of that score with respect to the output.
/// </summary>
public abstract class Target
{
    /// <summary>The raw logit of class <paramref name="index"/> (pytorch-grad-cam's ClassifierOutputTarget).</summary>
    public static Target Class(int index) => new ClassTarget(index, null, probability: false);

    /// <summary>The raw logit of the class named <paramref name="name"/> in the model's labels.</summary>
    public static Target Class(string name) => new ClassTarget(-1, name, probability: false);

    /// <summary>The softmax probability of class <paramref name="index"/>.</summary>
    public static Target Probability(int index) => new ClassTarget(index, null, probability: true);

    /// <summary>The softmax probability of the class named <paramref name="name"/>.</summary>
    public static Target Probability(string name) => new ClassTarget(-1, name, probability: true);

    /// <summary>
    /// Channel <paramref name="index"/> of the model output: element k of a vector output, or the
    /// sum over H×W of channel k of a map output ("which regions drive feature k of my backbone").
    /// </summary>
    public static Target Channel(int index) => new ChannelTarget(index, null);

    /// <summary>Channel <paramref name="index"/> of the output of <paramref name="layer"/>, summed over its spatial positions.</summary>
    public static Target Channel(LayerPath layer, int index) => new ChannelTarget(index, layer);

    /// <summary>
    /// Finer-CAM's contrastive score (pytorch-grad-cam's FinerWeightedTarget): Σ_j p_j·(z_main − α·z_j) / (Σ_j p_j + 1e-9)
    /// over the <paramref name="rivals"/> j, with z the logits and p their softmax. High where the
    /// evidence tells <paramref name="main"/> apart from classes it is confused with.
    /// </summary>
    public static Target Finer(int main, IReadOnlyList<int> rivals, double alpha = 1) => new FinerTarget(main, rivals, alpha);

    /// <summary>
    /// A binary classifier's single logit (pytorch-grad-cam's BinaryClassifierOutputTarget):
    /// the logit for <paramref name="category"/> 1, its negation for 0.
    /// </summary>
    public static Target Binary(int category) => new BinaryTarget(category);

    /// <summary>
    /// A segmentation model's score for class <paramref name="classIndex"/> summed over <paramref name="mask"/>
    /// (pytorch-grad-cam's SemanticSegmentationTarget): Σ output[class, y, x]·mask[y, x] on an N×C×H×W output.
    /// The mask is indexed [row, column] and must have the output map's H×W (torchvision models resize it to the input).
    /// </summary>
    public static Target Segmentation(int classIndex, float[,] mask) => new SegmentationTarget(classIndex, null, mask);

    /// <summary>The score of the class named <paramref name="className"/> in the model's labels, summed over <paramref name="mask"/>.</summary>
    public static Target Segmentation(string className, float[,] mask) => new SegmentationTarget(-1, className, mask);

    /// <summary>
    /// The score of class <paramref name="classIndex"/> summed over <paramref name="region"/>, rasterised at the
    /// output map's size (1 inside, 0 outside), e.g. <c>Region.Mask("car.mask.png")</c>.
    /// </summary>
    public static Target Segmentation(int classIndex, Region region) => new SegmentationTarget(classIndex, null, region);

    /// <summary>The score of the class named <paramref name="className"/> summed over <paramref name="region"/>, rasterised at the output map's size.</summary>
    public static Target Segmentation(string className, Region region) => new SegmentationTarget(-1, className, region);

    /// <summary>
    /// Cosine similarity of the model's output embedding to <paramref name="concept"/> (pytorch-grad-cam's
    /// SimilarityToConceptTarget), for embedding and retrieval models: "which regions make this image look like the concept".
    /// The concept has the embedding's length (e.g. the model's output for a reference image) and is not all zeros.
    /// </summary>
    public static Target Similarity(float[] concept) => new SimilarityTarget(concept);

    /// <summary>
    /// A score of your own: <paramref name="gradient"/> receives the model output for one image
    /// (batch dimension 1) and returns d score / d output of the same shape. For a linear score
    /// Σ w·output, return w.
    /// </summary>
    public static Target Custom(string description, Func<Tensor, Tensor> gradient) => new CustomTarget(description, gradient);

    /// <summary>The layer whose output the score is computed from; null for the model output.</summary>
    internal virtual LayerPath? ScoreLayer => null;

    /// <summary>d score / d output for image <paramref name="image"/> of the batch, as a seed over the whole output.</summary>
    internal abstract Tensor Seed(Tensor output, int image, TargetContext model);

    /// <summary>
    /// How <see cref="Seed"/> changes when the output moves along <paramref name="tangent"/> (the score's Hessian with respect to the
    /// output, times the tangent), for ShapleyCAM's Hessian-vector product; null for a score linear in the output. The default
    /// says the target gives no second derivative.
    /// </summary>
    internal virtual Tensor? SeedTangent(Tensor output, int image, TargetContext model, Tensor tangent) =>
        throw new CamException($"ShapleyCAM needs the second derivative of the target's score, which {Describe(model)} does not give. " +
            "Use Target.Class, Target.Probability, Target.Channel, Target.Binary, Target.Segmentation or Target.Similarity, or Grad-CAM for this target.");

    /// <summary>Describes the target for messages, e.g. <c>class 1 (circle)</c>.</summary>
    internal abstract string Describe(TargetContext model);

    /// <summary>The score for one image, Σ seed·output (exact for logits and channels).</summary>
    internal virtual float Score(Tensor output, int image, TargetContext model) =>
        (float)Seed(output, image, model).F.Zip(output.F, (s, o) => (double)s * o).Sum();

    /// <summary>
    /// The class <paramref name="index"/>, or the one named <paramref name="name"/> in the model's labels, checked against
    /// <paramref name="classes"/>; messages suggest <paramref name="byIndex"/> and describe the output as <paramref name="outputs"/> "N classes".
    /// </summary>
    private protected static int ResolveClass(int index, string? name, int classes, TargetContext model, string byIndex, string outputs)
    {
        int i = index;
        if (name is not null)
        {
            i = model.Labels.ToList().IndexOf(name);
            if (i < 0)
                throw new ArgumentException(model.Labels.Count == 0
                    ? $"Class '{name}' cannot be looked up: model '{model.Model}' has no class names. Give the class names in a labels file beside the model ('{model.Model}{ModelFiles.LabelsSuffix}', one name per line; the Labels of a <CamModel> item is copied there), or pass them to CamModel.Load(path, labels); or use {byIndex}."
                    : $"Model '{model.Model}' has no class named '{name}'. Its classes are: {string.Join(", ", model.Labels)}.");
        }
        if (i < 0 || i >= classes)
            throw new ArgumentOutOfRangeException(nameof(index), i, $"Class index {i} is out of range: {outputs} {classes} classes (0 to {classes - 1}).");
        return i;
    }

    /// <summary>Rows of an output tensor: one per image.</summary>
    private protected static int PerImage(Tensor output) => output.Length / Math.Max(1, output.Shape[0]);
}

/// <summary>What a target may know of the model: its name (for messages) and its class names. Nothing else crosses.</summary>
internal readonly record struct TargetContext(string Model, IReadOnlyList<string> Labels)
{
    public static TargetContext Of(CamModel model) => new(model.Name, model.Labels);
}

internal sealed class ClassTarget(int index, string? name, bool probability) : Target
{
    public bool IsProbability => probability;

    public int Index(TargetContext model, Tensor output) =>
        ResolveClass(index, name, PerImage(output), model, "Target.Class(index)", $"model '{model.Model}' outputs");

    internal override Tensor Seed(Tensor output, int image, TargetContext model)
    {
        int k = Index(model, output), n = PerImage(output);
        var seed = new float[output.Length];
        if (!probability) seed[image * n + k] = 1;
        else
        {
            var p = Probabilities(output, image);
            for (int j = 0; j < n; j++) seed[image * n + j] = (float)(p[k] * ((j == k ? 1 : 0) - p[j]));
        }
        return Tensor.FromFloats(output.Shape, seed);
    }

    /// <summary>A logit is linear; for p = softmax(z)_k, seed_j = p_k(δ_jk − p_j) changes by dp_k(δ_jk − p_j) − p_k·dp_j, with dp_j = p_j(t_j − p·t).</summary>
    internal override Tensor? SeedTangent(Tensor output, int image, TargetContext model, Tensor tangent)
    {
        if (!probability) return null;
        int k = Index(model, output), n = PerImage(output);
        var p = Probabilities(output, image);
        var t = tangent.F[(image * n)..((image + 1) * n)];
        double pt = 0;
        for (int j = 0; j < n; j++) pt += p[j] * t[j];
        var dp = p.Select((pj, j) => pj * (t[j] - pt)).ToArray();
        var r = new float[output.Length];
        for (int j = 0; j < n; j++) r[image * n + j] = (float)(dp[k] * ((j == k ? 1 : 0) - p[j]) - p[k] * dp[j]);
        return Tensor.FromFloats(output.Shape, r);
    }

    internal override float Score(Tensor output, int image, TargetContext model) =>
        probability ? (float)Probabilities(output, image)[Index(model, output)] : output.F[image * PerImage(output) + Index(model, output)];

    private static double[] Probabilities(Tensor output, int image)
    {
        int n = PerImage(output);
        var row = output.F.AsSpan(image * n, n);
        float max = System.Numerics.Tensors.TensorPrimitives.Max(row);
        var e = new double[n];
        for (int j = 0; j < n; j++) e[j] = Math.Exp(row[j] - max);
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    internal override string Describe(TargetContext model)
    {
        string what = probability ? "probability of class" : "class";
        if (name is not null) return $"{what} '{name}'";
        return index < model.Labels.Count ? $"{what} {index} ({model.Labels[index]})" : $"{what} {index}";
    }
}

internal sealed class ChannelTarget(int index, LayerPath? layer) : Target
{
    public int Index => index;

    internal override LayerPath? ScoreLayer => layer;

    internal override Tensor Seed(Tensor output, int image, TargetContext model)
    {
        if (output.Rank < 2) throw new ArgumentException($"A channel target needs an output with a channel axis, but {Where(model)} has shape {Tensor.ShapeText(output.Shape)}.");
        int channels = output.Shape[1], inner = output.Shape.Skip(2).Aggregate(1, (n, d) => n * d);
        if (index < 0 || index >= channels)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Channel {index} is out of range: {Where(model)} has {channels} channels (0 to {channels - 1}).");
        var seed = new float[output.Length];
        seed.AsSpan((image * channels + index) * inner, inner).Fill(1f);
        return Tensor.FromFloats(output.Shape, seed);
    }

    /// <summary>A sum of outputs: linear.</summary>
    internal override Tensor? SeedTangent(Tensor output, int image, TargetContext model, Tensor tangent) => null;

    private string Where(TargetContext model) => layer is { } l ? $"layer '{l}' of '{model.Model}'" : $"the output of '{model.Model}'";

    internal override string Describe(TargetContext model) => layer is { } l ? $"channel {index} of layer '{l}'" : $"channel {index} of the output";
}

internal sealed class CustomTarget(string description, Func<Tensor, Tensor> gradient) : Target
{
    internal override Tensor Seed(Tensor output, int image, TargetContext model)
    {
        int n = PerImage(output);
        var one = Tensor.FromFloats([1, .. output.Shape[1..]], output.F.AsSpan(image * n, n).ToArray());
        var g = gradient(one);
        if (g.Length != n)
            throw new ArgumentException($"The custom target '{description}' returned a gradient of shape {Tensor.ShapeText(g.Shape)}; it must have the output's shape {Tensor.ShapeText(one.Shape)}.");
        var seed = new float[output.Length];
        g.F.CopyTo(seed, image * n);
        return Tensor.FromFloats(output.Shape, seed);
    }

    internal override string Describe(TargetContext model) => description;
}
