using CamAssert.Golden;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Golden;

/// <summary>Under the CamAssert.Xunit framework, theory rows name their golden files after their arguments.</summary>
public class TheoryGoldenNameTests
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "camassert-theory-names", Guid.NewGuid().ToString("N"));

    private static string Source => Path.Combine(Directory.CreateDirectory(Folder).FullName, "Rows.cs");

    [Theory]
    [InlineData("circle", 1)]
    [InlineData("square", 1)]
    [InlineData("circle", 2)]
    public void Each_row_gets_a_golden_file_named_after_its_arguments(string shape, int size)
    {
        RunningTest.Value.Should().NotBeNull("the CamAssert.Xunit framework reports the running row");
        RunningTest.Value!.Parameters.Should().Be($"shape={shape},size={size}");
        var act = () => TestHeatmaps.Blob(16, 16, 4 * size, 8).Should().MatchGolden(sourceFile: Source, testMethod: "Row");
        act.Should().Throw<Exception>().WithMessage("*golden file*");
        File.Exists(Path.Combine(Folder, GoldenName.DirectoryName, $"Rows.Row_shape={shape},size={size}{GoldenStore.ReceivedSuffix}"))
            .Should().BeTrue("each row writes its own received file");
    }

    [Fact]
    public void An_explicit_name_overrides_the_derived_one()
    {
        var act = () => TestHeatmaps.Blob(16, 16, 8, 8).Should().MatchGolden(parameters: "by-hand", sourceFile: Source, testMethod: "Explicit");
        act.Should().Throw<Exception>();
        File.Exists(Path.Combine(Folder, GoldenName.DirectoryName, $"Rows.Explicit_by-hand{GoldenStore.ReceivedSuffix}")).Should().BeTrue();
    }

    [Fact]
    public void Two_rows_that_would_share_a_golden_file_fail_naming_both()
    {
        var map = TestHeatmaps.Blob(16, 16, 8, 8);
        using (RunningTest.Enter("Rows.Same(value: 1.0)", "Same", [new("value", 1.0)]))
            FluentActions.Invoking(() => map.Should().MatchGolden(sourceFile: Source, testMethod: "Same")).Should().Throw<Exception>().WithMessage("*golden file*");
        using (RunningTest.Enter("Rows.Same(value: 1.00)", "Same", [new("value", 1.00)]))
            FluentActions.Invoking(() => map.Should().MatchGolden(sourceFile: Source, testMethod: "Same")).Should().Throw<Exception>()
                .WithMessage("*test cases 'Rows.Same(value: 1.0)' and 'Rows.Same(value: 1.00)' would share*Rows.Same_value=1.verified.png*MatchGolden(parameters: …)*");
    }

    [Fact]
    public void A_source_path_that_does_not_exist_here_still_gets_a_golden_folder() =>
        GoldenName.DirectoryFor("/_/tests/Deterministic/PathMapped.cs").Should().EndWith(GoldenName.DirectoryName, "deterministic builds map source paths to /_/");
}
