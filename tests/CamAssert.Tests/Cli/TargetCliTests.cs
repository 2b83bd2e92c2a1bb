using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cli;

/// <summary><c>camassert cam --target-mask MASK.png --class K</c> and <c>--concept C.npy</c>: the maps the library computes.</summary>
public class TargetCliTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Target_mask_with_a_class_is_the_segmentation_target()
    {
        string dir = Fixtures.Path_("segmentation", "fcnish"), mask = _dir.File("mask.png"), output = _dir.File("map.npy");
        CamImage.FromGray(40, 32, (ReadOnlySpan<byte>)Enumerable.Range(0, 40 * 32).Select(i => (byte)(i % 40 is > 10 and < 30 && i / 40 > 6 ? 255 : 0)).ToArray()).Save(mask);
        var r = CliRunner.Run("cam", Path.Combine(dir, "model.onnx"), Path.Combine(dir, "input.npy"), "--class", "2", "--target-mask", mask, "--layer", "backbone.layer2", "--npy", output);
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("target: class 2 summed over mask 'mask.png'");
        var expected = CamModel.Load(Path.Combine(dir, "model.onnx")).GradCam(Npy.Read(Path.Combine(dir, "input.npy")), Target.Segmentation(2, Region.Mask(mask)), "backbone.layer2");
        Npy.Read(output).F.Should().Equal(expected.Values);
    }

    [Fact]
    public void Target_mask_without_a_class_says_what_to_add()
    {
        string dir = Fixtures.Path_("segmentation", "fcnish");
        var r = CliRunner.Run("cam", Path.Combine(dir, "model.onnx"), Path.Combine(dir, "input.npy"), "--target-mask", "m.png");
        r.ExitCode.Should().NotBe(0);
        r.Error.Should().Contain("--target-mask 'm.png' needs --class");
    }

    [Fact]
    public void Concept_is_the_similarity_target()
    {
        string dir = Fixtures.Path_("segmentation", "embedding"), output = _dir.File("map.npy");
        var r = CliRunner.Run("cam", Path.Combine(dir, "model.onnx"), Path.Combine(dir, "input.npy"), "--concept", Path.Combine(dir, "concept.npy"), "--layer", "features", "--npy", output);
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("target: cosine similarity to a 16-value concept embedding");
        var expected = CamModel.Load(Path.Combine(dir, "model.onnx")).GradCam(Npy.Read(Path.Combine(dir, "input.npy")), Target.Similarity(Npy.Read(Path.Combine(dir, "concept.npy")).F), "features");
        Npy.Read(output).F.Should().Equal(expected.Values);
    }
}
