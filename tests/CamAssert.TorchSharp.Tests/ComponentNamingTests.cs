using CamAssert.Fixtures.Naming;
using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// How TorchSharp's RegisterComponents names submodules, which the analyzer's compile-time layer tree
/// mirrors: named_modules() of the real NamingNet is tests/fixtures/torchsharp/naming/named_modules.txt,
/// the list CamAssert.Analyzers.Tests checks the analyzer's tree of the same source against.
/// </summary>
public class ComponentNamingTests
{
    [Fact]
    public void Named_modules_of_the_naming_fixture_are_the_committed_list()
    {
        using var net = new NamingNet();
        var names = net.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToList();
        var expected = File.ReadAllLines(TorchFixtures.Path_(Path.Combine("naming", "named_modules.txt"))).Where(l => l.Length > 0).ToList();
        // As a set: TorchSharp lists a module's children before their descendants, and the analyzer treats field order as unknown.
        names.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected,
            "RegisterComponents names each module field as declared (a backing field for an auto-property, [ComponentName] renames) and skips null fields");
    }
}
