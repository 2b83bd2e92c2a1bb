using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Models;

/// <summary>Where a declared model and its class names are found: one rule for the build and the loader.</summary>
public class ModelFilesTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Labels_file_beside_the_model_gives_the_class_names()
    {
        string model = OnnxBuilder.NestedClassifier().Save(_dir.Path, "classifier.onnx");
        File.WriteAllLines(model + ModelFiles.LabelsSuffix, ["ring", "", " disc ", "star"]);
        CamModel.Load(model).Labels.Should().Equal("ring", "disc", "star");
        CamModel.Load(model, ["a", "b", "c"]).Labels.Should().Equal(["a", "b", "c"], "labels given to Load win over the file");
    }

    [Fact]
    public void An_empty_labels_file_is_an_error_naming_it()
    {
        string model = OnnxBuilder.NestedClassifier().Save(_dir.Path, "classifier.onnx");
        File.WriteAllText(model + ModelFiles.LabelsSuffix, "\n  \n");
        var e = Assert.Throws<CamModelLoadException>(() => CamModel.Load(model));
        e.Message.Should().Contain("classifier.onnx.labels.txt").And.Contain("one class name per line");
    }

    [Fact]
    public void A_relative_path_is_found_in_the_output_folder_first()
    {
        string name = $"relative-{Guid.NewGuid():N}.onnx";
        string inOutput = OnnxBuilder.NestedClassifier().Save(AppContext.BaseDirectory, name);
        try
        {
            CamModel.Load(name).Path.Should().Be(inOutput);
        }
        finally { File.Delete(inOutput); }
    }

    [Fact]
    public void A_missing_model_that_was_declared_says_which_path_to_write()
    {
        string name = $"declared-{Guid.NewGuid():N}.onnx";
        string folder = Path.Combine(AppContext.BaseDirectory, ModelFiles.OutputFolder);
        Directory.CreateDirectory(folder);
        string declared = OnnxBuilder.NestedClassifier().Save(folder, name);
        try
        {
            var e = Assert.Throws<CamModelLoadException>(() => CamModel.Load(name));
            e.Message.Should().Contain("does not exist").And.Contain($"write CamModel.Load(\"models/{name}\")");
        }
        finally { File.Delete(declared); }
    }

    [Fact]
    public void A_missing_model_states_the_rule()
    {
        var e = Assert.Throws<CamModelLoadException>(() => CamModel.Load("nowhere.onnx"));
        e.Message.Should().Contain("is copied to 'models/nowhere.onnx' in the output folder, wherever it sits in the project");
    }
}
