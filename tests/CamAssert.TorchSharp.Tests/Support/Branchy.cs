using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CamAssert.TorchSharp.Tests.Support;

/// <summary>An inception-style net: <c>features.1</c> runs two branches and concatenates them (a functional cat, no module).</summary>
internal sealed class Branchy : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> features, pool, fc;

    public Branchy() : base(nameof(Branchy))
    {
        features = Sequential(Sequential(Conv2d(3, 6, 3, padding: 1), ReLU()), new Mixed());
        pool = AdaptiveAvgPool2d(1);
        fc = Linear(8, 3);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc.call(pool.call(features.call(x)).flatten(1));

    private sealed class Mixed : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> a, b;

        public Mixed() : base(nameof(Mixed))
        {
            a = Conv2d(6, 4, 1);
            b = Conv2d(6, 4, 3, padding: 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => cat([a.call(x), b.call(x)], 1);
    }
}
