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
    public void Valid_targets_are_quiet(string body) =>
        Compile.Diagnostics(new TargetAnalyzer(), Snippet(body), Manifest).Should().BeEmpty();

    [Theory]
    [InlineData("""Model.GradCam(input, Target.Class(3));""", "CAM2001", "Class index 3 does not fit 'nested_classifier.onnx': it outputs 3 classes (0 to 2)")]
    [InlineData("""Model.GradCam(input, Target.Class("hexagon"));""", "CAM2001", "its classes are circle, square, triangle")]
    [InlineData("""Model.Should().HaveClass("hexagon");""", "CAM2001", "Class 'hexagon'")]
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
