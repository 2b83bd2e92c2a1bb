using CamAssert.Cam.Factorization;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cli;

/// <summary><c>camassert dff</c>: the concept maps the library computes, and where each concept lies.</summary>
public class DffCliTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Dff_writes_the_library_s_concept_maps()
    {
        string dir = Fixtures.Path_("cams", "resnetish"), output = _dir.File("maps.npy");
        var r = CliRunner.Run("dff", Path.Combine(dir, "model.onnx"), Path.Combine(dir, "input.npy"), "--components", "3", "--layer", "backbone.layer2", "--npy", output);
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("concepts: 3 of 16 channels").And.Contain("image 0 concept 2 (#").And.Contain("): strongest on").And.Contain("scores highest for class ");
        var expected = CamModel.Load(Path.Combine(dir, "model.onnx")).FactorizeFeatures(Npy.Read(Path.Combine(dir, "input.npy")), 3, new("backbone.layer2"));
        var written = Npy.Read(output);
        written.Shape.Should().Equal(1, 3, 32, 40);
        written.F.Should().Equal(expected.Maps[0].SelectMany(m => m));
    }

    [Fact]
    public void Dff_draws_the_concepts_over_the_image()
    {
        string model = Fixtures.Path_("shapes", "shapes.onnx"), picture = _dir.File("concepts.png");
        string image = Fixtures.Path_("shapes", "images", "circle_1.png");
        var r = CliRunner.Run("dff", model, image, "--components", "2", "--out", picture);
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain($"picture: {picture}");
        var m = CamModel.Load(model);
        var dff = m.FactorizeFeatures(m.InputFor(CamImage.Load(image)), 2);
        var expected = ConceptOverlay.Render(dff, CamImage.Load(image));
        var written = CamImage.Load(picture);
        (written.Width, written.Height).Should().Be((dff.Width, dff.Height));
        written.Pixels.Select(p => MathF.Round(p * 255)).Should().Equal(expected.Pixels.Select(p => MathF.Round(p * 255)));
    }
}
