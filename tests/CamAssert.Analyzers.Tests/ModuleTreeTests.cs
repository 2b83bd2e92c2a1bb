using CamAssert.Analyzers.Modules;

namespace CamAssert.Analyzers.Tests;

/// <summary>
/// The analyzer's layer tree of a module against what TorchSharp really registers: the same source
/// (tests/fixtures/torchsharp/naming/NamingNet.cs) whose named_modules() CamAssert.TorchSharp.Tests
/// checks is named_modules.txt.
/// </summary>
public class ModuleTreeTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "naming", name));

    private static readonly string[] NamedModules = Fixture("named_modules.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static LayerTree Tree()
    {
        var compilation = Compile.Create(Fixture("NamingNet.cs"));
        compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Should().BeEmpty();
        var torch = TorchSharpSymbols.From(compilation);
        torch.Should().NotBeNull("the snippet references TorchSharp and CamAssert.TorchSharp");
        var tree = torch!.TreeOf(compilation.GetTypeByMetadataName("CamAssert.Fixtures.Naming.NamingNet")!);
        tree.Should().NotBeNull("NamingNet's source is in the compilation");
        return tree!;
    }

    [Fact]
    public void Every_path_TorchSharp_registers_resolves()
    {
        var resolver = Tree().Resolver;
        NamedModules.Where(p => !resolver.Resolve(p).Found).Should().BeEmpty("a path that exists at run time must never be reported");
    }

    [Fact]
    public void Every_path_the_analyzer_lists_is_registered_at_run_time()
    {
        var listed = Tree().Manifest.Layers.Select(l => l.Path).ToList();
        listed.Should().NotBeEmpty().And.BeSubsetOf(NamedModules, "a path the analyzer accepts as known must exist");
        listed.Should().Contain(["_stem.act", "m_body.second.norm", "<Head>k__BackingField.2", "baseConv", "blocks.1.norm", "stages.1.conv"],
            "fields, renames, Sequential children, an auto-property, a base class's field, a list filled by a constant loop and a ModuleList are all read");
        listed.Should().NotContain("unset", "a null field is not registered");
    }

    [Theory]
    [InlineData("Head")]
    [InlineData("m_body.first.bn")]
    [InlineData("_stem.relu")]
    [InlineData("stem")]
    [InlineData("<Head>k__BackingField[3]")]
    public void Names_TorchSharp_does_not_register_are_reported(string path) =>
        Tree().Resolver.Resolve(path).Found.Should().BeFalse("'{0}' is not in named_modules()", path);

    [Fact]
    public void An_auto_property_name_points_at_its_backing_field()
    {
        var result = Tree().Resolver.Resolve("Head.1");
        result.Found.Should().BeFalse();
        result.Problem.Should().Contain("'Head' is an auto-property").And.Contain("'<Head>k__BackingField'");
        result.Suggestion.Should().Be("<Head>k__BackingField.1", "the rest of the path is kept");
    }
}
