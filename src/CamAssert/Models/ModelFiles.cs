namespace CamAssert.Models;

/// <summary>
/// Where a model file and its class names are found: the one rule shared by the build step
/// (<c>build/CamAssert.targets</c>) and the loader. A <c>&lt;CamModel Include="…/x.onnx" Labels="…/labels.txt" /&gt;</c>
/// item is copied to <c>models/x.onnx</c> in the output folder wherever it sits, and its labels file to
/// <c>models/x.onnx.labels.txt</c> beside it; so a test loads it with <c>CamModel.Load("models/x.onnx")</c>
/// and gets the declared class names.
/// </summary>
public static class ModelFiles
{
    /// <summary>The output sub-folder every declared model is copied to.</summary>
    public const string OutputFolder = "models";

    /// <summary>The suffix of the class-names file beside a model: <c>x.onnx</c> → <c>x.onnx.labels.txt</c>.</summary>
    public const string LabelsSuffix = ".labels.txt";

    /// <summary>The class-names file beside <paramref name="modelPath"/> (it may not exist).</summary>
    public static string LabelsFileFor(string modelPath) => modelPath + LabelsSuffix;

    /// <summary>
    /// The full path of <paramref name="path"/>. A relative path is looked up first in the output folder
    /// (<see cref="AppContext.BaseDirectory"/>, where the build puts declared models and their labels), then
    /// in the current folder; an absolute path is taken as it is.
    /// </summary>
    /// <exception cref="CamModelLoadException">The file is in neither; the message says where a declared model lands.</exception>
    public static string Locate(string path)
    {
        var candidates = Path.IsPathRooted(path)
            ? [Path.GetFullPath(path)]
            : new[] { Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, path)), Path.GetFullPath(path) }.Distinct().ToArray();
        foreach (var candidate in candidates)
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        string name = Path.GetFileName(path);
        string declared = Path.Combine(AppContext.BaseDirectory, OutputFolder, name);
        string hint = File.Exists(declared)
            ? $"A <CamModel> item put it at '{OutputFolder}/{name}' in the output folder: write CamModel.Load(\"{OutputFolder}/{name}\")."
            : $"A model declared with <CamModel Include=\"…/{name}\" /> is copied to '{OutputFolder}/{name}' in the output folder, wherever it sits in the project: declare it, then load \"{OutputFolder}/{name}\".";
        throw new CamModelLoadException(path, $"the file does not exist (looked at {string.Join(" and ", candidates.Select(c => $"'{c}'"))}). {hint}");
    }

    /// <summary>
    /// Reads a labels file: one class name per line, in class-index order; blank lines are skipped and
    /// names are trimmed.
    /// </summary>
    /// <exception cref="CamModelLoadException">The file is missing or holds no names.</exception>
    public static IReadOnlyList<string> ReadLabels(string labelsPath)
    {
        if (!File.Exists(labelsPath))
            throw new CamModelLoadException(labelsPath, "the labels file does not exist. Give a text file with one class name per line, in class-index order.");
        var names = File.ReadAllLines(labelsPath).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length == 0)
            throw new CamModelLoadException(labelsPath, "the labels file holds no class names. Write one class name per line, in class-index order.");
        return names;
    }

    /// <summary>
    /// The model's class names, first found of: <paramref name="given"/>; the labels file beside the model
    /// (<see cref="LabelsFileFor"/>); the model's own <paramref name="embedded"/> names; else none.
    /// </summary>
    public static IReadOnlyList<string> ClassNames(string modelPath, IReadOnlyList<string>? given, IReadOnlyList<string> embedded)
    {
        if (given is not null) return given;
        string beside = LabelsFileFor(modelPath);
        return File.Exists(beside) ? ReadLabels(beside) : embedded;
    }
}
