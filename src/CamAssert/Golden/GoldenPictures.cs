using CamAssert.Imaging;

namespace CamAssert.Golden;

/// <summary>The picture written beside a failing golden: expected | actual | difference, each over the image when there is one.</summary>
internal static class GoldenPictures
{
    public static CamImage Diff(float[]? expected, float[] actual, int width, int height, CamImage? image)
    {
        var difference = new float[actual.Length];
        if (expected is not null)
            for (int i = 0; i < actual.Length; i++) difference[i] = Math.Abs(actual[i] - expected[i]);
        var blank = new float[actual.Length];
        return Overlay.SideBySide(
            Overlay.Enlarge(Overlay.Render(expected ?? blank, width, height, image)),
            Overlay.Enlarge(Overlay.Render(actual, width, height, image)),
            Overlay.Enlarge(Overlay.Render(difference, width, height, image, ColorMap.Viridis, 0.8f)));
    }
}
