using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;

namespace CamAssert.Cam;

/// <summary>
/// The gradient of one target's score with respect to the model input, for many inputs of one image
/// (Integrated Gradients' steps, NoiseTunnel's noisy copies): they go through the backend's
/// <see cref="ModelBackend.CaptureInput"/> in batches, each row with its own seed (rows do not mix).
/// </summary>
internal sealed class InputGradients(CamModel model, int[] imageShape, Target target, GradientRule rule, int batchSize)
{
    private readonly TargetContext _context = TargetContext.Of(model);
    private readonly Layer? _scoreLayer = target.ScoreLayer is { } path ? model.Layer(path) : null;

    /// <summary>What the target is, as messages write it (known after the first batch).</summary>
    public string TargetText { get; private set; } = "";

    /// <summary>∂score/∂row for each row (each one image's values, in the input's layout).</summary>
    public float[][] Of(IReadOnlyList<float[]> rows)
    {
        int size = rows[0].Length, chunk = ChunkSize(rows.Count);
        var result = new float[rows.Count][];
        for (int start = 0; start < rows.Count; start += chunk)
        {
            int count = Math.Min(chunk, rows.Count - start), padded = FixedBatch ?? count;
            var values = new float[padded * size];
            for (int r = 0; r < count; r++) rows[start + r].CopyTo(values, r * size);
            using var pass = model.ForwardToInput(Tensor.FromFloats([padded, .. imageShape], values), _scoreLayer, rule);
            var seed = new float[pass.Output.Length];
            for (int r = 0; r < count; r++)
            {
                var s = target.Seed(pass.Output, r, _context).F;
                for (int j = 0; j < seed.Length; j++) seed[j] += s[j];
            }
            if (TargetText.Length == 0) TargetText = target.Describe(_context);
            var gradient = pass.Gradient(Tensor.FromFloats(pass.Output.Shape, seed)).F;
            for (int r = 0; r < count; r++)
            {
                result[start + r] = gradient.AsSpan(r * size, size).ToArray();
                CheckFinite(result[start + r]);
            }
        }
        return result;
    }

    /// <summary>The model's batch size when its input fixes one.</summary>
    private int? FixedBatch => model.Input.Shape is { Rank: > 0 } s && s[0].IsKnown ? (int)s[0].Value : null;

    private int ChunkSize(int rows)
    {
        if (FixedBatch is { } fixedSize) return fixedSize;
        if (batchSize < 1) throw new CamException($"AttributionOptions.BatchSize is {batchSize}; give 1 or more.");
        return Math.Min(batchSize, rows);
    }

    private void CheckFinite(float[] g)
    {
        for (int i = 0; i < g.Length; i++)
            if (!float.IsFinite(g[i]))
                throw new CamException($"The gradient of {TargetText} with respect to the input of '{model.Name}' contains {g[i]} (element {i}). Check the input for NaN or infinite values, and the model's weights.");
    }
}
