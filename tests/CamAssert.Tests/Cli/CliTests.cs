using System.Text.Json;
using CamAssert.Models;
using CamAssert.Onnx.Engine;
using CamAssert.Imaging;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cli;

public class CliTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _model;

    public CliTests() => _model = OnnxBuilder.NestedClassifier().Save(_dir.Path, "classifier.onnx");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Layers_prints_the_tree_with_shapes()
    {
        var r = CliRunner.Run("layers", _model);
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("backbone").And.Contain("layer1").And.Contain("[N, 4, 8, 8]").And.Contain("backbone.layer1.0.conv2");
    }

    [Fact]
    public void Layers_json_is_machine_readable_and_respects_depth()
    {
        var r = CliRunner.Run("layers", _model, "--json", "--depth", "1");
        r.ExitCode.Should().Be(0, r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        var layers = doc.RootElement.GetProperty("layers");
        layers.EnumerateArray().Select(l => l.GetProperty("path").GetString()).Should().Equal("backbone", "pool", "head");
        layers[0].GetProperty("children").GetArrayLength().Should().Be(0, "depth 1 shows only the top level");
        layers[0].GetProperty("shape").EnumerateArray().Select(d => d.ToString()).Should().Equal("N", "4", "8", "8");
    }

    [Theory]
    [InlineData("layers", "missing.onnx")]
    [InlineData("layers", "--depth", "0")]
    public void Bad_input_is_one_line_and_a_non_zero_exit(params string[] args)
    {
        var full = args.Select(a => a == "missing.onnx" ? _dir.File(a) : a).ToList();
        if (full.Count == 3) full.Insert(1, _model);
        var r = CliRunner.Run([.. full]);
        r.ExitCode.Should().NotBe(0);
        r.Error.Trim().Should().StartWith("error: ").And.NotContain("\n").And.NotContain("   at ");
    }

    [Fact]
    public void Cam_prints_layer_and_writes_the_map_that_the_library_computes()
    {
        var rnd = new Random(2);
        var x = Tensor.FromFloats([1, 3, 8, 8], Enumerable.Range(0, 192).Select(_ => (float)rnd.NextDouble()).ToArray());
        string input = _dir.File("x.npy"), output = _dir.File("map.npy");
        Npy.Write(input, x);
        var r = CliRunner.Run("cam", _model, input, "--class", "1", "--npy", output);
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("layer:  backbone (chosen automatically");
        var map = Npy.Read(output);
        map.Shape.Should().Equal(8, 8);
        var expected = CamAssert.Models.CamModel.Load(_model).GradCam(x, CamAssert.Cam.Target.Class(1));
        map.F.Should().Equal(expected.Values);
    }

    [Theory]
    [InlineData("randomcam", "--seed", "5")]
    [InlineData("gradcam", "--eigen-smooth")]
    [InlineData("layercam", "--also-layer", "backbone.layer1", "--fusion", "max")]
    [InlineData("fem")]
    [InlineData("xgradcam", "--aug-smooth")]
    [InlineData("saliency", "--signed")]
    [InlineData("integratedgradients", "--steps", "7", "--integration", "riemann_trapezoid")]
    [InlineData("inputxgradient", "--noise-tunnel", "vargrad", "--noise-samples", "3", "--noise-stdev", "0.2", "--seed", "5")]
    [InlineData("guidedgradcam")]
    [InlineData("fullgrad")]
    [InlineData("sscam", "--noise-samples", "2", "--noise-stdev", "1.5", "--seed", "5")]
    [InlineData("iscam", "--steps", "3")]
    [InlineData("smoothgradcam++", "--noise-samples", "2", "--seed", "5")]
    [InlineData("occlusion", "--occlusion-window", "4,3", "--occlusion-stride", "2,3")]
    public void Cam_takes_the_new_methods_and_options(string method, params string[] flags)
    {
        string input = RandomInput(), output = _dir.File($"{method}.npy");
        var r = CliRunner.Run(["cam", _model, input, "--class", "1", "--layer", "backbone", "--method", method, "--npy", output, .. flags]);
        r.ExitCode.Should().Be(0, r.Error);
        var options = new CamAssert.Cam.CamOptions
        {
            Seed = flags.Contains("--seed") ? 5u : 0u,
            EigenSmooth = flags.Contains("--eigen-smooth"),
            AugSmooth = flags.Contains("--aug-smooth"),
            AdditionalLayers = flags.Contains("--also-layer") ? [new CamAssert.Models.Layers.LayerPath("backbone.layer1")] : [],
            Fusion = flags.Contains("max") ? CamAssert.Cam.LayerFusion.Max : CamAssert.Cam.LayerFusion.Mean,
            Attribution = new CamAssert.Cam.AttributionOptions
            {
                AbsoluteSaliency = !flags.Contains("--signed"),
                Steps = flags.Contains("--steps") ? 7 : 50,
                Integration = flags.Contains("riemann_trapezoid") ? CamAssert.Cam.IntegrationRule.RiemannTrapezoid : CamAssert.Cam.IntegrationRule.GaussLegendre,
                NoiseTunnel = flags.Contains("vargrad") ? new CamAssert.Cam.NoiseTunnel(CamAssert.Cam.NoiseTunnelKind.VarGrad, 3, 0.2f, 5) : null,
            },
            Samples = flags.Contains("--steps") && method == "iscam" ? 3 : flags.Contains("--noise-samples") && method != "inputxgradient" ? 2 : null,
            NoiseStd = flags.Contains("--noise-stdev") && method != "inputxgradient" ? 1.5 : null,
            Occlusion = flags.Contains("--occlusion-window") ? new CamAssert.Cam.OcclusionOptions { WindowHeight = 4, WindowWidth = 3, StrideY = 2, StrideX = 3 } : CamAssert.Cam.OcclusionOptions.Default,
        };
        var expected = CamModel.Load(_model).Cam(Npy.Read(input), CamAssert.Cam.Target.Class(1), CamAssert.Cam.CamMethods.Parse(method), "backbone", options);
        Npy.Read(output).F.Should().Equal(expected.Values, "the CLI computes what the library computes for {0} {1}", method, string.Join(" ", flags));
    }

    [Fact]
    public void Predict_reads_a_png_and_prints_json_with_class_names()
    {
        var r = CliRunner.Run("predict", Fixtures.Path_("shapes", "shapes.onnx"), Fixtures.Path_("shapes", "images", "square_1.png"), "--json", "--top", "1");
        r.ExitCode.Should().Be(0, r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        doc.RootElement[0].GetProperty("label").GetString().Should().Be("square");
    }

    [Fact]
    public void Cam_and_predict_read_a_jpeg_and_say_what_it_was()
    {
        string jpeg = Fixtures.Path_("shapes", "images", "circle_1.jpg"), overlay = _dir.File("circle.overlay.png");
        var cam = CliRunner.Run("cam", Fixtures.Path_("shapes", "shapes.onnx"), jpeg, "--class", "circle", "--out", overlay);
        cam.ExitCode.Should().Be(0, cam.Error);
        cam.Out.Should().Contain("image:  ").And.Contain("JPEG, 8-bit RGB");
        CamAssert.Imaging.CamImage.Load(overlay).Text.Should().ContainKey("camassert:image").WhoseValue.Should().StartWith("circle_1.jpg: JPEG");
        var predict = CliRunner.Run("predict", Fixtures.Path_("shapes", "shapes.onnx"), jpeg, "--json", "--top", "1");
        predict.ExitCode.Should().Be(0, predict.Error);
        using var doc = JsonDocument.Parse(predict.Out);
        doc.RootElement[0].GetProperty("label").GetString().Should().Be("circle");
    }

    [Fact]
    public void Cam_on_a_damaged_jpeg_is_one_line_naming_the_file()
    {
        string damaged = _dir.File("cut.jpg");
        File.WriteAllBytes(damaged, File.ReadAllBytes(Fixtures.Path_("shapes", "images", "circle_1.jpg"))[..300]);
        var r = CliRunner.Run("cam", Fixtures.Path_("shapes", "shapes.onnx"), damaged);
        r.ExitCode.Should().NotBe(0);
        r.Error.Should().Contain("cut.jpg");
    }

    [Fact]
    public void Cam_with_a_wrong_layer_says_where_it_is()
    {
        string input = _dir.File("x.npy");
        Npy.Write(input, Tensor.FromFloats([1, 3, 8, 8], new float[192]));
        var r = CliRunner.Run("cam", _model, input, "--layer", "layer1");
        r.ExitCode.Should().NotBe(0);
        r.Error.Should().Contain("it exists as 'backbone.layer1'");
    }

    private string RandomInput()
    {
        var rnd = new Random(3);
        string input = _dir.File("labels-x.npy");
        Npy.Write(input, Tensor.FromFloats([1, 3, 8, 8], Enumerable.Range(0, 192).Select(_ => (float)rnd.NextDouble()).ToArray()));
        return input;
    }

    [Fact]
    public void Cam_and_predict_take_labels_from_the_command_line()
    {
        string labels = _dir.File("classes.txt");
        File.WriteAllLines(labels, ["ring", "", "  disc  ", "star"]);
        string input = RandomInput();
        var cam = CliRunner.Run("cam", _model, input, "--labels", labels, "--class", "disc");
        cam.ExitCode.Should().Be(0, cam.Error);
        cam.Out.Should().Contain("class 'disc'");
        var predict = CliRunner.Run("predict", _model, input, "--labels", labels, "--json");
        predict.ExitCode.Should().Be(0, predict.Error);
        using var doc = JsonDocument.Parse(predict.Out);
        doc.RootElement.EnumerateArray().Select(e => e.GetProperty("label").GetString()).Should().BeSubsetOf(["ring", "disc", "star"]).And.NotContain("");
    }

    [Theory]
    [InlineData("imagenet")]
    [InlineData("keras-caffe")]
    [InlineData("keras-tf")]
    public void Predict_with_a_preprocess_preset_sees_the_tensor_the_library_makes(string preset)
    {
        string shapes = Fixtures.Path_("shapes", "shapes.onnx"), image = Fixtures.Path_("shapes", "images", "circle_1.png"), npy = _dir.File(preset + ".npy");
        var r = CliRunner.Run("predict", shapes, image, "--preprocess", preset, "--npy", npy);
        r.ExitCode.Should().Be(0, r.Error);
        var expected = preset switch { "imagenet" => Preprocessing.ImageNet, "keras-caffe" => Preprocessing.KerasCaffe, _ => Preprocessing.KerasTf };
        var model = CamModel.Load(shapes);
        Npy.Read(npy).F.Should().Equal(model.Run(model.InputFor(CamImage.Load(image), expected)).F, "the CLI and the library apply the same {0} preprocessing", preset);
        Npy.Read(npy).F.Should().NotEqual(model.Run(model.InputFor(CamImage.Load(image))).F, "the preset changes the input");
    }

    [Fact]
    public void An_unknown_preprocess_preset_lists_the_known_ones()
    {
        var r = CliRunner.Run("cam", Fixtures.Path_("shapes", "shapes.onnx"), Fixtures.Path_("shapes", "images", "circle_1.png"), "--preprocess", "pytorch");
        r.ExitCode.Should().Be(2);
        r.Error.Should().Contain("--preprocess 'pytorch' is not known").And.Contain("torchvision").And.Contain("keras-caffe");
    }

    [Fact]
    public void A_class_name_without_labels_gives_command_line_advice()
    {
        var r = CliRunner.Run("cam", _model, RandomInput(), "--class", "ring");
        r.ExitCode.Should().Be(2);
        r.Error.Should().Contain("--class 'ring' is a name").And.Contain("Pass --labels FILE").And.NotContain("CamModel.Load");
    }

    [Fact]
    public void A_labels_file_beside_the_model_is_used_without_the_option()
    {
        File.WriteAllLines(_model + CamAssert.Models.ModelFiles.LabelsSuffix, ["ring", "disc", "star"]);
        var r = CliRunner.Run("cam", _model, RandomInput(), "--class", "star");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("class 'star'");
    }

    [Fact]
    public void A_missing_labels_file_is_one_line_naming_it()
    {
        var r = CliRunner.Run("predict", _model, RandomInput(), "--labels", _dir.File("nope.txt"));
        r.ExitCode.Should().Be(2);
        r.Error.Should().Contain("nope.txt").And.Contain("labels file does not exist");
    }

    [Fact]
    public void A_build_server_that_DiffEngine_knows_never_accepts_a_golden_file()
    {
        string verified = _dir.File("T.Server.verified.png");
        var env = new Dictionary<string, string?> { ["CI"] = null, ["CAMASSERT_ACCEPT"] = "1", ["GITLAB_CI"] = "true" };
        var r = CliRunner.RunWith(env, "cam", _model, RandomInput(), "--class", "1", "--golden", verified);
        r.ExitCode.Should().Be(1, r.Error);
        r.Out.Should().Contain("This is a build server");
        File.Exists(verified).Should().BeFalse("a build server never creates a golden file, even with CAMASSERT_ACCEPT=1");
    }
}
