using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;

namespace CamAssert.Cam;

/// <summary>
/// ShapleyCAM's gradient (pytorch-grad-cam's ShapleyCAM): G − ½·H·A, where H·A is the Hessian of the score with respect to
/// the layer's output A times A itself — <c>torch.autograd.grad(grads, activations, grad_outputs=activations)</c>. Its spatial
/// mean weighs the channels as Grad-CAM's mean gradient does.
/// </summary>
internal static class ShapleyCam
{
    /// <summary>
    /// G − ½·H·A for one round's <paramref name="targets"/> (at most one per image; their seeds summed into <paramref name="seed"/>,
    /// their gradient <paramref name="gradient"/>): the Hessian of each target's score includes the target's own second
    /// derivative (a softmax probability's), through <see cref="Target.SeedTangent"/>.
    /// </summary>
    public static Tensor Gradient(ForwardPass pass, Tensor seed, Tensor gradient, IReadOnlyList<(Target Target, int Image)> targets, TargetContext context, Layer layer)
    {
        Tensor? SeedTangent(Tensor tangent)
        {
            float[]? sum = null;
            foreach (var (target, image) in targets)
                if (target.SeedTangent(pass.Output, image, context, tangent) is { } d)
                {
                    sum ??= new float[d.Length];
                    System.Numerics.Tensors.TensorPrimitives.Add(sum, d.F, sum);
                }
            return sum is null ? null : Tensor.FromFloats(pass.Output.Shape, sum);
        }

        Tensor hvp;
        try
        {
            hvp = pass.HessianVectorProduct(seed, pass.Activation, SeedTangent);
        }
        catch (NotSupportedException e)
        {
            throw new CamException($"ShapleyCAM at layer '{layer.Path}' of '{context.Model}': {e.Message}");
        }
        var g = gradient.F;
        var h = hvp.F;
        var r = new float[g.Length];
        for (int i = 0; i < r.Length; i++) r[i] = g[i] - 0.5f * h[i];
        return Tensor.FromFloats(gradient.Shape, r);
    }
}
