using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// TorchScript files saved by torch 1.13: with forward_features/forward_head exported, maps
/// equal pytorch-grad-cam's at the layer forward_features returns (backbone, whose output is
/// backbone.layer2's); without them, a load error that gives the export recipe.
/// </summary>
public class TorchScriptTests
{
    private static readonly Lazy<CamModel> Script = new(() => TorchSharpModel.LoadTorchScript(TorchFixtures.Path_("resnetish_script.pt"), 32, 32));

    [Fact]
    public void Grad_cam_of_an_exported_script_matches_pytorch_grad_cam()
    {
        foreach (var k in new[] { 1, 3 })
        {
            var map = Script.Value.GradCam(TorchFixtures.Input, Target.Class(k));
            map.Source.Layer.Should().Be(TorchScriptBackend.FeaturesLayer, "the features are the one layer a script exposes");
            var expected = Npy.Read(TorchFixtures.Path_($"gradcam__class_{k}.npy")).F;
            map.Values.Zip(expected, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1e-4f, "class {0} through the script should be pytorch-grad-cam's map", k);
        }
    }

    [Fact]
    public void The_script_gives_the_logits_torch_gave()
    {
        var expected = TorchFixtures.Index.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Script.Value.Run(TorchFixtures.Input).F.Zip(expected, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1e-5f);
    }

    [Fact]
    public void A_script_without_the_exported_methods_is_refused_with_the_recipe()
    {
        var act = () => TorchSharpModel.LoadTorchScript(TorchFixtures.Path_("plain_script.pt"), 32, 32);
        act.Should().Throw<CamModelLoadException>().WithMessage("*plain_script.pt*take no forward hooks*@torch.jit.export def forward_features*forward_head*");
    }

    [Fact]
    public void A_state_dict_given_as_a_script_says_which_call_to_use()
    {
        var act = () => TorchSharpModel.LoadTorchScript(TorchFixtures.Path_("resnetish.pt"), 32, 32);
        act.Should().Throw<CamModelLoadException>().WithMessage("*not a TorchScript file*FromStateDict*");
    }
}
