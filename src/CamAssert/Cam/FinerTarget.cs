using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// Finer-CAM's score Σ_j p_j·(z_m − α·z_j) / (Σ_j p_j + 1e-9), with p = softmax(z) and j over the
/// rivals; its gradient with respect to the logits follows from the quotient rule, with
/// ∂p_j/∂z_i = p_j·(δ_ij − p_i).
/// </summary>
internal sealed class FinerTarget(int main, IReadOnlyList<int> rivals, double alpha) : Target
{
    /// <summary>pytorch-grad-cam's FinerCAM default for a class: the three classes whose logits are nearest to it, α = 1.</summary>
    public static FinerTarget Nearest(Tensor output, int image, int main, TargetContext model)
    {
        int n = PerImage(output);
        Check(main, n, model);
        var row = output.F.AsSpan(image * n, n).ToArray();
        // np.argsort(|z − z_main|) is a quicksort: ties are rare with float logits; ours breaks them by index.
        var order = Enumerable.Range(0, n).OrderBy(j => Math.Abs(row[j] - row[main])).ThenBy(j => j).ToArray();
        if (n < 4)
            throw new CamException($"Finer-CAM compares class {main} with its 3 nearest classes, but model '{model.Model}' outputs {n} classes. Use Target.Finer(main, rivals) with the rivals you want.");
        return new FinerTarget(order[0], [order[1], order[2], order[3]], 1);
    }

    internal override Tensor Seed(Tensor output, int image, TargetContext model)
    {
        int n = PerImage(output);
        Check(main, n, model);
        foreach (int r in rivals) Check(r, n, model);
        var z = output.F.AsSpan(image * n, n);
        var p = Softmax(z);
        double num = 0, den = 1e-9;
        foreach (int j in rivals) { num += p[j] * (z[main] - alpha * z[j]); den += p[j]; }
        var seed = new float[output.Length];
        for (int i = 0; i < n; i++)
        {
            double dNum = 0, dDen = 0;
            foreach (int j in rivals)
            {
                double dp = p[j] * ((i == j ? 1 : 0) - p[i]);
                dNum += dp * (z[main] - alpha * z[j]) + p[j] * ((i == main ? 1 : 0) - alpha * (i == j ? 1 : 0));
                dDen += dp;
            }
            seed[image * n + i] = (float)((dNum * den - num * dDen) / (den * den));
        }
        return Tensor.FromFloats(output.Shape, seed);
    }

    internal override float Score(Tensor output, int image, TargetContext model)
    {
        int n = PerImage(output);
        var z = output.F.AsSpan(image * n, n);
        var p = Softmax(z);
        double num = 0, den = 1e-9;
        foreach (int j in rivals) { num += p[j] * (z[main] - alpha * z[j]); den += p[j]; }
        return (float)(num / den);
    }

    private static double[] Softmax(ReadOnlySpan<float> z)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(z);
        var e = new double[z.Length];
        for (int j = 0; j < z.Length; j++) e[j] = Math.Exp(z[j] - max);
        double sum = e.Sum();
        for (int j = 0; j < e.Length; j++) e[j] /= sum;
        return e;
    }

    private static void Check(int index, int classes, TargetContext model)
    {
        if (index < 0 || index >= classes)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Class index {index} is out of range: model '{model.Model}' outputs {classes} classes (0 to {classes - 1}).");
    }

    internal override string Describe(TargetContext model) =>
        $"class {main} against {string.Join(", ", rivals)} (Finer-CAM, α = {alpha})";
}

/// <summary>A binary classifier's single logit, negated for category 0 (pytorch-grad-cam's BinaryClassifierOutputTarget).</summary>
internal sealed class BinaryTarget(int category) : Target
{
    internal override Tensor Seed(Tensor output, int image, TargetContext model)
    {
        int n = PerImage(output);
        if (n != 1)
            throw new ArgumentException($"Target.Binary needs a model with one output logit per image, but '{model.Model}' outputs {n} values per image ({Tensor.ShapeText(output.Shape)}). Use Target.Class(index) for a multi-class output.");
        if (category is not (0 or 1))
            throw new ArgumentOutOfRangeException(nameof(category), category, "A binary target's category is 1 (the logit) or 0 (its negation).");
        var seed = new float[output.Length];
        seed[image] = category == 1 ? 1 : -1;
        return Tensor.FromFloats(output.Shape, seed);
    }

    /// <summary>A logit or its negation: linear.</summary>
    internal override Tensor? SeedTangent(Tensor output, int image, TargetContext model, Tensor tangent) => null;

    internal override string Describe(TargetContext model) => category == 1 ? "the binary logit (category 1)" : "the negated binary logit (category 0)";
}
