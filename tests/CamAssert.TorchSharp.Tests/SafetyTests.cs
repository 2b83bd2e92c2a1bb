using CamAssert.Models;
using CamAssert.TorchSharp.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp.Tests;

/// <summary>Training mode, parallel callers, native memory and wrong inputs.</summary>
public class SafetyTests
{
    private static Models.Tensor Image(int seed, int size = 32) =>
        Models.Tensor.FromFloats([1, 3, size, size], Enumerable.Range(0, 3 * size * size).Select(i => ((i * 7919 + seed * 104729) % 1000) / 1000f).ToArray());

    [Fact]
    public void A_module_in_training_mode_is_run_in_eval_mode_and_left_in_training_mode()
    {
        var module = new ResNetish();
        var model = TorchSharpModel.FromStateDict(module, TorchFixtures.Path_("resnetish.pt"), 32, 32);
        module.eval();
        var inEval = model.GradCam(TorchFixtures.Input, Target.Class(1), TorchFixtures.Layer).Values.ToArray();
        module.train();
        var inTraining = model.GradCam(TorchFixtures.Input, Target.Class(1), TorchFixtures.Layer).Values.ToArray();
        inTraining.Should().Equal(inEval, "batch-norm statistics must not change the map");
        module.training.Should().BeTrue("the caller's mode is restored after the run");
    }

    [Fact]
    public void Sixteen_parallel_callers_get_the_sequential_maps()
    {
        var model = TorchFixtures.ResNetish;
        var inputs = Enumerable.Range(0, 16).Select(i => Image(i)).ToArray();
        var sequential = inputs.Select((x, i) => model.GradCam(x, Target.Class(i % 5), TorchFixtures.Layer).Values.ToArray()).ToArray();
        var parallel = new float[16][];
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => parallel[i] = model.GradCam(inputs[i], Target.Class(i % 5), TorchFixtures.Layer).Values.ToArray());
        for (int i = 0; i < 16; i++) parallel[i].Should().Equal(sequential[i], "caller {0} shares the model with 15 others", i);
    }

    [Fact]
    public void A_wrong_input_size_names_both_shapes()
    {
        var act = () => TorchFixtures.ResNetish.GradCam(Image(0, 16), Target.Class(1), TorchFixtures.Layer);
        act.Should().Throw<ArgumentException>().WithMessage("*[?, 3, 32, 32]*[1, 3, 16, 16]*");
    }

    [Fact]
    public void A_size_the_module_cannot_take_is_a_load_error_saying_what_to_give()
    {
        var act = () => TorchSharpModel.From(new ResNetish(), 32, 32, channels: 1);
        act.Should().Throw<CamModelLoadException>().WithMessage("*probe forward*[1, 1, 32, 32]*Give the input size*");
    }

    [Fact]
    public void A_state_dict_for_another_architecture_lists_missing_and_unexpected_keys()
    {
        var other = nn.Sequential(("features", nn.Conv2d(3, 8, 3)), ("pool", nn.AdaptiveAvgPool2d(1)));
        var act = () => TorchSharpModel.FromStateDict(other, TorchFixtures.Path_("resnetish.pt"), 32, 32);
        act.Should().Throw<CamModelLoadException>()
            .WithMessage("*resnetish.pt*2 missing ('features.weight', 'features.bias')*unexpected ('backbone.*")
            .Which.Message.Should().Contain("Build the same architecture");
    }

    [Fact]
    public void Class_names_that_do_not_fit_the_output_are_a_load_error()
    {
        var act = () => TorchSharpModel.From(new ResNetish(), 32, 32, ["cat", "dog"]);
        act.Should().Throw<CamModelLoadException>().WithMessage("*2 class names*5 classes*");
    }

    [Fact]
    public void The_content_hash_follows_the_weights()
    {
        var a = TorchSharpModel.From(new ResNetish(), 32, 32);
        var b = TorchSharpModel.From(new ResNetish(), 32, 32);
        a.Sha256.Should().NotBe(b.Sha256, "two random initialisations are different models");
        TorchFixtures.ResNetish.Sha256.Should().Be(TorchSharpModel.FromStateDict(new ResNetish(), TorchFixtures.Path_("resnetish.pt"), 32, 32).Sha256, "the same weights are the same model");
    }
}
