using System.Text.Json;
using CamAssert.Imaging;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Imaging;

/// <summary>Colour maps against matplotlib's tables (tests/fixtures/images/colormaps.json, from tools/make_colormap_tables.py).</summary>
public class ColorMapTests
{
    private static readonly Lazy<JsonElement> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("images", "colormaps.json"))).RootElement.GetProperty("maps"));

    private static (float R, float G, float B) Rgb(JsonElement e)
    {
        var v = e.EnumerateArray().Select(x => x.GetSingle()).ToArray();
        return (v[0], v[1], v[2]);
    }

    [Fact]
    public void Endpoints_are_the_published_ones()
    {
        ColorMap.Jet[0].Should().Be((0f, 0f, 0.5f));
        ColorMap.Jet[255].Should().Be((0.5f, 0f, 0f));
        ColorMap.Viridis[0].Should().Be((0.267004f, 0.004874f, 0.329415f));
        ColorMap.Viridis[255].Should().Be((0.993248f, 0.906157f, 0.143936f));
        ColorMap.Turbo[0].R.Should().BeApproximately(0.1357f, 1e-4f);
        ColorMap.Turbo.Map(0).Should().Be(ColorMap.Turbo[0]);
        ColorMap.Turbo.Map(1).Should().Be(ColorMap.Turbo[255]);
    }

    [Theory]
    [InlineData("jet", 1e-6)]
    [InlineData("viridis", 0)]
    [InlineData("gist_rainbow", 1e-6)]
    public void Tables_equal_matplotlibs(string name, double tolerance)
    {
        var map = ColorMap.Named(name);
        foreach (var entry in Reference.Value.GetProperty(name).GetProperty("entries").EnumerateObject())
            Close(map[int.Parse(entry.Name)], Rgb(entry.Value), tolerance, $"{name}[{entry.Name}]");
    }

    [Theory]
    [InlineData("jet", 1e-6)]
    [InlineData("viridis", 0)]
    [InlineData("gist_rainbow", 1e-6)]
    public void Map_picks_the_entry_matplotlib_picks(string name, double tolerance)
    {
        var map = ColorMap.Named(name);
        foreach (var value in Reference.Value.GetProperty(name).GetProperty("values").EnumerateObject())
            Close(map.Map(float.Parse(value.Name, System.Globalization.CultureInfo.InvariantCulture)), Rgb(value.Value), tolerance, $"{name}({value.Name})");
    }

    [Fact]
    public void Turbo_polynomial_stays_near_googles_table()
    {
        // The published polynomial is an approximation: within 0.13 of the 256-entry table (matplotlib's turbo).
        foreach (var entry in Reference.Value.GetProperty("turbo").GetProperty("entries").EnumerateObject())
            Close(ColorMap.Turbo[int.Parse(entry.Name)], Rgb(entry.Value), 0.13, $"turbo[{entry.Name}]");
    }

    [Fact]
    public void Map_clamps_and_treats_nan_as_zero()
    {
        ColorMap.Jet.Map(-3f).Should().Be(ColorMap.Jet[0]);
        ColorMap.Jet.Map(float.NaN).Should().Be(ColorMap.Jet[0]);
        ColorMap.Jet.Map(7f).Should().Be(ColorMap.Jet[255]);
        ColorMap.Jet.Map(0.5f).Should().Be(ColorMap.Jet[128], "⌊0.5 · 256⌋ = 128");
        ColorMap.Jet.Map(255f / 256f - 1e-6f).Should().Be(ColorMap.Jet[254]);
    }

    [Fact]
    public void Every_entry_is_in_range()
    {
        foreach (var map in new[] { ColorMap.Jet, ColorMap.Turbo, ColorMap.Viridis })
            for (int i = 0; i < ColorMap.Size; i++)
                new[] { map[i].R, map[i].G, map[i].B }.Should().OnlyContain(c => c >= 0 && c <= 1, $"{map}[{i}]");
    }

    [Fact]
    public void Names_and_bad_names()
    {
        ColorMap.Named("JET").Should().BeSameAs(ColorMap.Jet);
        var act = () => ColorMap.Named("rainbow");
        act.Should().Throw<ArgumentException>().WithMessage("*'rainbow'*jet, turbo, viridis or gist_rainbow*");
        var index = () => ColorMap.Jet[256];
        index.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0..255*256*");
    }

    private static void Close((float R, float G, float B) actual, (float R, float G, float B) expected, double tolerance, string what)
    {
        actual.R.Should().BeApproximately(expected.R, (float)tolerance, what);
        actual.G.Should().BeApproximately(expected.G, (float)tolerance, what);
        actual.B.Should().BeApproximately(expected.B, (float)tolerance, what);
    }
}
