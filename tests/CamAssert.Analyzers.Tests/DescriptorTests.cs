using System.Reflection;
using Microsoft.CodeAnalysis;

namespace CamAssert.Analyzers.Tests;

/// <summary>Every diagnostic links to its own rule page, which ships beside the analyzer: no made-up web host.</summary>
public class DescriptorTests
{
    public static TheoryData<string> Ids() =>
        [.. All().Select(d => d.Id)];

    private static IEnumerable<DiagnosticDescriptor> All() =>
        typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_is_the_rule_page_beside_the_analyzer(string id)
    {
        var descriptor = All().Single(d => d.Id == id);
        var uri = new Uri(descriptor.HelpLinkUri);
        uri.Scheme.Should().Be("file", "the rule pages ship with the package; no web address is vouched for");
        Path.GetFileName(uri.LocalPath).Should().Be($"{id}.md");
        File.Exists(uri.LocalPath).Should().BeTrue($"the page {uri.LocalPath} is copied beside the analyzer");
        File.ReadLines(uri.LocalPath).First().Should().StartWith($"# {id}:");
    }

    [Fact]
    public void Every_rule_page_in_docs_belongs_to_a_diagnostic()
    {
        var ids = All().Select(d => d.Id).ToHashSet();
        string docs = Path.Combine(AppContext.BaseDirectory, Descriptors.RulesFolder);
        Directory.GetFiles(docs, "CAM*.md").Select(Path.GetFileNameWithoutExtension).Should().BeEquivalentTo(ids);
    }
}
