using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CamAssert.TorchSharp.Tests.Support;

/// <summary>
/// tools/make_cam_references.py's ResNetish in TorchSharp, with the same module names, so that
/// the state dict saved by torch 1.13 loads into it: backbone.{stem, layer1, layer2}, pool, head.
/// </summary>
internal sealed class ResNetish : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> backbone, pool, head;

    public ResNetish() : base(nameof(ResNetish))
    {
        var down = Sequential(Conv2d(8, 16, 1, stride: 2, bias: false), BatchNorm2d(16));
        backbone = Sequential(
            ("stem", Sequential(Conv2d(3, 8, 3, stride: 1, padding: 1, bias: false), BatchNorm2d(8), ReLU())),
            ("layer1", Sequential(new BasicBlock(8, 8), new BasicBlock(8, 8))),
            ("layer2", Sequential(new BasicBlock(8, 16, 2, down), new BasicBlock(16, 16))));
        pool = AdaptiveAvgPool2d(1);
        head = Sequential(Flatten(), Linear(16, 5));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => head.call(pool.call(backbone.call(x)));
}

/// <summary>torchvision's BasicBlock: one ReLU module called twice, and a residual sum.</summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv1, bn1, relu, conv2, bn2;
    private readonly Module<Tensor, Tensor>? downsample;

    public BasicBlock(int cin, int cout, int stride = 1, Module<Tensor, Tensor>? downsample = null) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(cin, cout, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(cout);
        relu = ReLU();
        conv2 = Conv2d(cout, cout, 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(cout);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.call(x);
        var output = relu.call(bn2.call(conv2.call(relu.call(bn1.call(conv1.call(x))))) + identity);
        return scope.MoveToOuter(output);
    }
}
