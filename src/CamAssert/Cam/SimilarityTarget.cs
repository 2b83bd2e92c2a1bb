using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// Cosine similarity of the model's output embedding to a concept embedding (the
/// SimilarityToConceptTarget of pytorch-grad-cam's embeddings tutorial: CosineSimilarity(dim=0)):
/// s = e·c / (|e|·|c|), with gradient c/(|e|·|c|) − s·e/|e|².
/// </summary>
internal sealed class SimilarityTarget : Target
{
    private readonly double[] _concept;
    private readonly double _norm;

    public SimilarityTarget(float[] concept)
    {
        ArgumentNullException.ThrowIfNull(concept);
        if (concept.Length == 0) throw new ArgumentException("The concept embedding is empty; give the embedding the model outputs for the concept (e.g. the output for a reference image).", nameof(concept));
        int bad = Array.FindIndex(concept, v => !float.IsFinite(v));
        if (bad >= 0) throw new ArgumentException($"The concept embedding holds {concept[bad]} at element {bad}; every value must be finite.", nameof(concept));
        _concept = concept.Select(v => (double)v).ToArray();
        _norm = Math.Sqrt(_concept.Sum(v => v * v));
        if (_norm == 0) throw new ArgumentException($"The concept embedding ({concept.Length} values) is all zeros; cosine similarity to a zero vector is undefined. Give a non-zero embedding.", nameof(concept));
    }

    private (double Similarity, double Norm) Cosine(ReadOnlySpan<float> e, TargetContext model, int image)
    {
        if (e.Length != _concept.Length)
            throw new ArgumentException($"The concept embedding has {_concept.Length} values but the output of '{model.Model}' has {e.Length} per image. Give a concept of the embedding's length (the model's output for a reference image).");
        double dot = 0, sq = 0;
        for (int i = 0; i < e.Length; i++) { dot += e[i] * _concept[i]; sq += (double)e[i] * e[i]; }
        double norm = Math.Sqrt(sq);
        if (norm == 0)
            throw new CamException($"The output embedding of '{model.Model}' for image {image} is all zeros; its cosine similarity to the concept is undefined.");
        return (dot / (norm * _norm), norm);
    }

    internal override Tensor Seed(Tensor output, int image, TargetContext model)
    {
        int n = PerImage(output);
        var e = output.F.AsSpan(image * n, n);
        var (s, norm) = Cosine(e, model, image);
        var seed = new float[output.Length];
        for (int i = 0; i < n; i++) seed[image * n + i] = (float)(_concept[i] / (norm * _norm) - s * e[i] / (norm * norm));
        return Tensor.FromFloats(output.Shape, seed);
    }

    /// <summary>
    /// The change of seed_i = c_i/(|e||c|) − s·e_i/|e|² along t: −c_i(e·t)/(|e|³|c|) − (seed·t)·e_i/|e|² − s·t_i/|e|² + 2s·e_i(e·t)/|e|⁴.
    /// </summary>
    internal override Tensor? SeedTangent(Tensor output, int image, TargetContext model, Tensor tangent)
    {
        int n = PerImage(output);
        var e = output.F.AsSpan(image * n, n);
        var t = tangent.F.AsSpan(image * n, n);
        var (s, norm) = Cosine(e, model, image);
        var seed = Seed(output, image, model).F.AsSpan(image * n, n);
        double et = 0, st = 0, n2 = norm * norm;
        for (int i = 0; i < n; i++) { et += (double)e[i] * t[i]; st += (double)seed[i] * t[i]; }
        var r = new float[output.Length];
        for (int i = 0; i < n; i++)
            r[image * n + i] = (float)(-_concept[i] * et / (n2 * norm * _norm) - st * e[i] / n2 - s * t[i] / n2 + 2 * s * e[i] * et / (n2 * n2));
        return Tensor.FromFloats(output.Shape, r);
    }

    internal override float Score(Tensor output, int image, TargetContext model)
    {
        int n = PerImage(output);
        return (float)Cosine(output.F.AsSpan(image * n, n), model, image).Similarity;
    }

    internal override string Describe(TargetContext model) => $"cosine similarity to a {_concept.Length}-value concept embedding";
}
