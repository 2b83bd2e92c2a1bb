using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>
/// pytorch-grad-cam's GuidedBackpropReLU as a TorchSharp autograd function: forward ReLU, backward
/// dx = dy · [x &gt; 0] · [dy &gt; 0]. <see cref="Install"/> puts it in place of every ReLU module's output for
/// one forward, as pytorch-grad-cam replaces every <c>torch.nn.ReLU</c> module (functional ReLUs stay exact).
/// </summary>
internal sealed class GuidedRelu : autograd.SingleTensorFunction<GuidedRelu>
{
    public override string Name => nameof(GuidedRelu);

    public override TorchTensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (TorchTensor)vars[0];
        ctx.save_for_backward([x]);
        return x.relu();
    }

    public override List<TorchTensor> backward(autograd.AutogradContext ctx, TorchTensor grad_output)
    {
        using var x = ctx.get_saved_variables()[0];
        using var positive = x.gt(0).to(grad_output.dtype);
        return [grad_output.clamp_min(0).mul(positive)];
    }

    /// <summary>Forward hooks on every ReLU module of <paramref name="module"/> that return the guided ReLU of the module's input; dispose to remove them.</summary>
    public static IDisposable Install(nn.Module module)
    {
        var removers = module.modules().OfType<global::TorchSharp.Modules.ReLU>()
            .Select(relu => relu.register_forward_hook((_, x, _) => apply(x))).ToList();
        return new HookSet(() => removers.ForEach(r => r.remove()));
    }
}
