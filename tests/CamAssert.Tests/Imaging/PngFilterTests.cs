using CamAssert.Imaging.Png;

namespace CamAssert.Tests.Imaging;

/// <summary>The five scanline filters: applying then undoing is the identity; Paeth's tie rules.</summary>
public class PngFilterTests
{
    [Theory]
    [InlineData(PngFilter.None, 1)]
    [InlineData(PngFilter.Sub, 1)]
    [InlineData(PngFilter.Up, 3)]
    [InlineData(PngFilter.Average, 3)]
    [InlineData(PngFilter.Average, 8)]
    [InlineData(PngFilter.Paeth, 4)]
    [InlineData(PngFilter.Paeth, 6)]
    public void Undo_reverses_apply(byte type, int distance)
    {
        var rnd = new Random(type * 10 + distance);
        var previous = new byte[48];
        var row = new byte[48];
        rnd.NextBytes(previous);
        rnd.NextBytes(row);
        var filtered = new byte[48];

        PngFilter.Apply(type, row, previous, distance, filtered);
        PngFilter.Undo(type, filtered, previous, distance);

        filtered.Should().Equal(row);
    }

    [Theory]
    [InlineData(10, 20, 10, 20)] // p = 20: b is exact
    [InlineData(20, 10, 10, 20)] // p = 20: a is exact
    [InlineData(10, 10, 10, 10)] // all equal: a wins ties
    [InlineData(5, 9, 7, 7)] // p = 7: c is exact
    [InlineData(0, 255, 255, 0)] // p = 0: a
    public void Paeth_picks_the_nearest_of_a_b_c(int a, int b, int c, int expected) =>
        PngFilter.PaethPredictor(a, b, c).Should().Be(expected);

    [Fact]
    public void Apply_scores_bytes_as_signed_magnitudes()
    {
        // None on [1, 255, 128]: |1| + |-1| + |-128| = 130.
        PngFilter.Apply(PngFilter.None, [1, 255, 128], new byte[3], 1, new byte[3]).Should().Be(130);
    }
}
