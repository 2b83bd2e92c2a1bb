using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Tests.Support;
using Xunit.Abstractions;

namespace CamAssert.Tests.Cam;

/// <summary>
/// Occlusion against Captum 0.8.0's Occlusion itself (tests/fixtures/cams/occlusion.json, from
/// tools/make_occlusion_references.py): at most 1e-4 absolute difference per input element.
/// </summary>
public class OcclusionReferenceTests(ITestOutputHelper output)
{
    private const string File_ = "occlusion.json";

    public static TheoryData<string, int> Cases() => ReferenceCases.Rows(File_);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Attribution_matches_Captum(string model, int index)
    {
        var c = ReferenceCases.Case(File_, model, index);
        var (m, input) = ReferenceCases.Load(model);
        var window = c.GetProperty("window").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var stride = c.GetProperty("stride").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var options = OptionsOf(c);
        var attribution = m.Occlusion(input, PgcReference.TargetOf(c.GetProperty("target").GetString()!), options);
        var expected = PgcReference.Decode(c.GetProperty("attribution").GetString()!);

        attribution.Length.Should().Be(expected.Length);
        m.Attribute(input, PgcReference.TargetOf(c.GetProperty("target").GetString()!), CamMethod.Occlusion, new CamOptions { Occlusion = options }).Values
            .Should().Equal(attribution.F, "model.Attribute(…, CamMethod.Occlusion) gives model.Occlusion's values");
        double worst = attribution.F.Zip(expected, (x, y) => (double)Math.Abs(x - y)).Max();
        output.WriteLine($"{model} case {index}: max abs {worst:E1} (attribution up to {expected.Max(Math.Abs):G3})");
        expected.Should().Contain(v => v != 0, "the reference attributes something");
        // The fixture models' score changes are small (down to 6e-5), so 1e-4 alone could pass a zero map: also within 1 % of the largest value.
        worst.Should().BeLessThanOrEqualTo(Math.Min(1e-4, 1e-2 * expected.Max(Math.Abs)), "occlusion of {0} with window {1} and stride {2} must be Captum's", model, string.Join("×", window), string.Join("×", stride));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Heatmap_is_Captums_visualisation_of_the_positive_attribution(string model, int index)
    {
        var c = ReferenceCases.Case(File_, model, index);
        var (m, input) = ReferenceCases.Load(model);
        var heatmap = m.Cam(input, PgcReference.TargetOf(c.GetProperty("target").GetString()!), CamMethod.Occlusion, options: new CamOptions { Occlusion = OptionsOf(c) });
        var expected = PgcReference.Decode(c.GetProperty("heatmap").GetString()!);
        double worst = heatmap.Values.Zip(expected, (x, y) => (double)Math.Abs(x - y)).Max();
        output.WriteLine($"{model} case {index}: heatmap max abs {worst:E1}");
        heatmap.Method.Should().Be(CamMethod.Occlusion);
        heatmap.Should().NotBeDegenerate();
        // The heatmap divides by a threshold: where the attribution is tiny (below 1e-3, random-weight fixtures), its float32
        // noise (up to 1e-3 of its largest value) becomes up to 1e-3 of the heatmap.
        var attribution = PgcReference.Decode(c.GetProperty("attribution").GetString()!);
        worst.Should().BeLessThanOrEqualTo(attribution.Max(Math.Abs) < 1e-3 ? 1e-3 : 1e-4, "occlusion's heatmap of {0} must be Captum's visualisation", model);
    }

    private static OcclusionOptions OptionsOf(JsonElement c)
    {
        var window = c.GetProperty("window").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var stride = c.GetProperty("stride").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return new OcclusionOptions
        {
            WindowChannels = window[0], WindowHeight = window[1], WindowWidth = window[2],
            ChannelStride = stride[0], StrideY = stride[1], StrideX = stride[2],
            Baseline = c.TryGetProperty("baseline", out var b) ? b.GetSingle() : 0,
        };
    }

    [Fact]
    public void A_stride_larger_than_the_window_is_refused_as_Captum_refuses_it()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        var act = () => m.Occlusion(input, Target.Class(0), new OcclusionOptions { WindowHeight = 4, StrideY = 5 });
        act.Should().Throw<ArgumentException>().WithMessage("*stride in height (5) exceeds the window (4)*");
    }
}
