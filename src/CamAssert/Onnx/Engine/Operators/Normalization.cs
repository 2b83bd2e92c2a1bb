using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>BatchNormalization in inference mode: per channel (axis 1), y = (x − mean)/√(var + ε)·scale + bias.</summary>
internal sealed class BatchNormalization : Operator, IClampFusable
{
    public override string OpType => "BatchNormalization";

    public override OutputType[] InferShapes(ShapeContext ctx) => SameAs(ctx);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float[] Gain, float[] Shift) Affine(Node node, Tensor?[] i)
    {
        float eps = node.Attributes.Float("epsilon", 1e-5f);
        var (scale, bias, mean, variance) = (i[1]!.F, i[2]!.F, i[3]!.F, i[4]!.F);
        var gain = new float[scale.Length];
        var shift = new float[scale.Length];
        for (int c = 0; c < gain.Length; c++)
        {
            gain[c] = scale[c] / MathF.Sqrt(variance[c] + eps);
            shift[c] = bias[c] - mean[c] * gain[c];
        }
        return (gain, shift);
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs) => Forward(node, inputs, null);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor[] Forward(Node node, Tensor?[] inputs, (float Lo, float Hi)? clamp)
    {
        var x = inputs[0]!;
        var (gain, shift) = Affine(node, inputs);
        int channels = x.Shape[1], inner = ShapeMath.Product(x.Shape, 2, x.Rank);
        var y = Arena.Floats(x.Length);
        var xf = x.F;
        for (int i = 0; i < y.Length; i++)
        {
            int c = i / inner % channels;
            y[i] = xf[i] * gain[c] + shift[c];
        }
        if (clamp is { } bounds) Clamp.Apply(y, y, bounds);
        return [Tensor.FromFloats(x.Shape, y)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: false, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!;
        var (gain, _) = Affine(node, inputs);
        int channels = x.Shape[1], inner = ShapeMath.Product(x.Shape, 2, x.Rank);
        var dy = outputGradients[0]!.F;
        var dx = new float[x.Length];
        for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * gain[i / inner % channels];
        return [Tensor.FromFloats(x.Shape, dx), null, null, null, null];
    }
}

/// <summary>LayerNormalization (opset 17) over the axes from <c>axis</c> on, with scale and optional bias.</summary>
internal sealed class LayerNormalization : Operator
{
    public override string OpType => "LayerNormalization";

    public override OutputType[] InferShapes(ShapeContext ctx) => SameAs(ctx);

    private static (int Rows, int Size) Split(Node node, Tensor x)
    {
        int axis = ShapeMath.Axis(node.Attributes.Int("axis", -1), x.Rank);
        int size = ShapeMath.Product(x.Shape, axis, x.Rank);
        return (x.Length / Math.Max(1, size), size);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var (rows, size) = Split(node, x);
        float eps = node.Attributes.Float("epsilon", 1e-5f);
        var (xf, scale, bias) = (x.F, inputs[1]!.F, inputs.Length > 2 ? inputs[2]?.F : null);
        var y = new float[x.Length];
        for (int r = 0; r < rows; r++)
        {
            var (mean, rstd) = Moments(xf.AsSpan(r * size, size), eps);
            for (int j = 0; j < size; j++)
                y[r * size + j] = (xf[r * size + j] - mean) * rstd * scale[j] + (bias?[j] ?? 0);
        }
        return [Tensor.FromFloats(x.Shape, y)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float Mean, float Rstd) Moments(ReadOnlySpan<float> v, float eps)
    {
        double sum = 0, sq = 0;
        foreach (var f in v) sum += f;
        double mean = sum / v.Length;
        foreach (var f in v) sq += (f - mean) * (f - mean);
        return ((float)mean, (float)(1 / Math.Sqrt(sq / v.Length + eps)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!;
        var (rows, size) = Split(node, x);
        float eps = node.Attributes.Float("epsilon", 1e-5f);
        var (xf, scale, dy) = (x.F, inputs[1]!.F, outputGradients[0]!.F);
        var dx = new float[x.Length];
        var g = new double[size];
        var xhat = new double[size];
        for (int r = 0; r < rows; r++)
        {
            var (mean, rstd) = Moments(xf.AsSpan(r * size, size), eps);
            double meanG = 0, meanGx = 0;
            for (int j = 0; j < size; j++)
            {
                xhat[j] = (xf[r * size + j] - mean) * rstd;
                g[j] = dy[r * size + j] * scale[j];
                meanG += g[j];
                meanGx += g[j] * xhat[j];
            }
            meanG /= size;
            meanGx /= size;
            for (int j = 0; j < size; j++) dx[r * size + j] = (float)(rstd * (g[j] - meanG - xhat[j] * meanGx));
        }
        return [Tensor.FromFloats(x.Shape, dx), null, null];
    }
}
