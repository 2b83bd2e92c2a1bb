using CamAssert.Analyzers.Rules;

namespace CamAssert.Analyzers.Tests;

public class TargetAnalyzerTests
{
    private static readonly (string, string) Manifest = ("nested_classifier.onnx.camassert.json", Compile.Classifier);

    private static string Snippet(string body) => $$"""
        public class Tests
        {
            static readonly CamModel Model = CamModel.Load("nested_classifier.onnx");
            public void Test(Tensor input) { {{body}} }
        }
        """;

    [Theory]
    [InlineData("""Model.GradCam(input, Target.Class(2));""")]
    [InlineData("""Model.GradCam(input, Target.Class("square"));""")]
    [InlineData("""Model.Cam(input, Target.Probability(0), CamMethod.HiResCam);""")]
    [InlineData("""Model.GradCam(input, Target.Channel("backbone.layer4", 63), layer: "backbone.layer3");""")]
    [InlineData("""Model.Should().HaveClass("circle");""")]
    [InlineData("""Model.GradCam(input, Target.Segmentation(2, new float[4, 4]));""")]
    public void Valid_targets_are_quiet(string body) =>
        Compile.Diagnostics(new TargetAnalyzer(), Snippet(body), Manifest).Should().BeEmpty();

    [Theory]
    [InlineData("""Model.GradCam(input, Target.Class(3));""", "CAM2001", "Class index 3 does not fit 'nested_classifier.onnx': it outputs 3 classes (0 to 2)")]
    [InlineData("""Model.GradCam(input, Target.Class("hexagon"));""", "CAM2001", "its classes are circle, square, triangle")]
    [InlineData("""Model.Should().HaveClass("hexagon");""", "CAM2001", "Class 'hexagon'")]
    [InlineData("""Model.GradCam(input, Target.Segmentation(3, new float[4, 4]));""", "CAM2001", "Segmentation class index 3 does not fit 'nested_classifier.onnx': it outputs 3 classes per pixel (0 to 2)")]
    [InlineData("""Model.GradCam(input, Target.Segmentation("hexagon", new float[4, 4]));""", "CAM2001", "its classes are circle, square, triangle")]
    [InlineData("""Model.GradCam(input, Target.Channel(3));""", "CAM2002", "Channel 3 is out of range for the output of 'nested_classifier.onnx', which has 3 channels (0 to 2)")]
    [InlineData("""Model.GradCam(input, Target.Channel("backbone.layer4", 64), layer: "backbone.layer3");""", "CAM2002", "layer 'backbone.layer4'")]
    public void Out_of_range_targets_are_reported(string body, string id, string message)
    {
        var d = Compile.Diagnostics(new TargetAnalyzer(), Snippet(body), Manifest).Should().ContainSingle().Subject;
        d.Id.Should().Be(id);
        d.GetMessage().Should().Contain(message);
    }
}

public class ModelDeclarationAnalyzerTests
{
    [Fact]
    public void Undeclared_model_is_CAM3001_and_declared_is_quiet()
    {
        const string code = """
            public class Tests
            {
                static readonly CamModel A = CamModel.Load("models/nested_classifier.onnx");
                static readonly CamModel B = CamModel.Load("models/undeclared.onnx");
            }
            """;
        var d = Compile.Diagnostics(new ModelDeclarationAnalyzer(), code, ("nested_classifier.onnx.camassert.json", Compile.Classifier)).Should().ContainSingle().Subject;
        d.Id.Should().Be("CAM3001");
        d.GetMessage().Should().Contain("'models/undeclared.onnx'").And.Contain("<CamModel Include=\"models/undeclared.onnx\" />");
    }
}

public class ManifestMutationTests
{
    [Fact]
    public void Damaged_manifests_are_ignored_or_read_never_thrown_into_the_build()
    {
        var original = Compile.Classifier;
        var rnd = new Random(11);
        const string code = """
            public class Tests
            {
                static readonly CamModel Model = CamModel.Load("nested_classifier.onnx");
                public void T(Tensor x) => Model.GradCam(x, Target.Class(5), layer: "layer4");
            }
            """;
        for (int i = 0; i < 300; i++)
        {
            var chars = original.ToCharArray().ToList();
            for (int k = rnd.Next(1, 6); k > 0; k--)
            {
                int at = rnd.Next(chars.Count);
                switch (rnd.Next(3))
                {
                    case 0: chars[at] = "{}[]\",:0123456789-.eax "[rnd.Next(23)]; break;
                    case 1: chars.RemoveRange(at, Math.Min(rnd.Next(1, 40), chars.Count - at)); break;
                    default: chars.Insert(at, "{[\"0-,"[rnd.Next(6)]); break;
                }
            }
            var manifest = new string(chars.ToArray());
            foreach (var analyzer in new Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer[] { new Rules.LayerPathAnalyzer(), new Rules.TargetAnalyzer(), new Rules.ModelDeclarationAnalyzer() })
            {
                var diagnostics = Compile.Diagnostics(analyzer, code, ("nested_classifier.onnx.camassert.json", manifest));
                diagnostics.Should().NotContain(d => d.Id == "AD0001", "an analyzer must never crash on manifest {0}", i);
            }
        }
    }
}
