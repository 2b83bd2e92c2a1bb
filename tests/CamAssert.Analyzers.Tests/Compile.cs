using System.Collections.Immutable;
using System.IO.Compression;
using CamAssert.Manifest;
using CamAssert.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CamAssert.Analyzers.Tests;

/// <summary>Compiles real snippets against the CamAssert library with the analyzers and model manifests, as a build would.</summary>
internal static class Compile
{
    private static readonly Lazy<string> ClassifierManifest = new(() => ModelManifest.Of(CamModel.Load(Fixture("nested_classifier.onnx"), ["circle", "square", "triangle"])).ToJson());

    private static readonly Lazy<string> InceptionManifest = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), "camassert-analyzer-tests", "inception_v3.onnx");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var gz = new GZipStream(File.OpenRead(Fixture("inception_v3.onnx.gz")), CompressionMode.Decompress);
            using var o = File.Create(path + ".tmp");
            gz.CopyTo(o);
            o.Close();
            File.Move(path + ".tmp", path, true);
        }
        return ModelManifest.Of(CamModel.Load(path)).ToJson();
    });

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    public static string Classifier => ClassifierManifest.Value;
    public static string Inception => InceptionManifest.Value;

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p)),
        MetadataReference.CreateFromFile(typeof(CamModel).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(FluentAssertions.AssertionExtensions).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(global::TorchSharp.torch).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(global::TorchSharp.torchvision).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(CamAssert.TorchSharp.TorchSharpModel).Assembly.Location),
    ];

    /// <summary>Diagnostics of <paramref name="analyzer"/> on <paramref name="code"/>, with the given manifests as AdditionalFiles.</summary>
    public static ImmutableArray<Diagnostic> Diagnostics(DiagnosticAnalyzer analyzer, string code, params (string File, string Json)[] manifests)
    {
        var compilation = Create(code);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        errors.Should().BeEmpty("the snippet itself compiles:\n{0}", string.Join("\n", errors));
        var options = new AnalyzerOptions([.. manifests.Select(m => (AdditionalText)new InMemoryText(m.File, m.Json))]);
        var crashes = new List<Exception>();
        var withAnalyzers = compilation.WithAnalyzers([analyzer], new CompilationWithAnalyzersOptions(options,
            onAnalyzerException: (e, _, _) => { lock (crashes) crashes.Add(e); }, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        var result = withAnalyzers.GetAnalyzerDiagnosticsAsync().Result;
        crashes.Should().BeEmpty("the analyzer must not throw");
        return result;
    }

    public static CSharpCompilation Create(string code) =>
        CSharpCompilation.Create("Snippet", [CSharpSyntaxTree.ParseText(Usings + code, new CSharpParseOptions(LanguageVersion.Latest))], References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private const string Usings = "using CamAssert; using CamAssert.Cam; using CamAssert.Models; using CamAssert.Onnx.Engine; using FluentAssertions;\n";

    /// <summary>An AdditionalFile held in memory, as the build would pass a manifest.</summary>
    internal sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
