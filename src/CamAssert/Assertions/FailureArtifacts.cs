using System.Threading;
using CamAssert.Heatmaps;
using CamAssert.Imaging;

namespace CamAssert.Assertions;

/// <summary>
/// Pictures written when an assertion fails: the heatmap over its image with the region
/// outlined, in <c>CAMASSERT_ARTIFACTS</c> or <c>camassert-artifacts/</c> beside the test
/// assembly. <c>camassert report</c> collects them.
/// </summary>
public static class FailureArtifacts
{
    private static int _counter;

    /// <summary>The directory overlays are written to.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("CAMASSERT_ARTIFACTS") is { Length: > 0 } d ? d : Path.Combine(AppContext.BaseDirectory, "camassert-artifacts");

    /// <summary>Writes the overlay for a failed assertion and returns its path (null if it could not be written).</summary>
    public static string? WriteOverlay(Heatmap map, Region? region)
    {
        try
        {
            var picture = Overlay.Render(map.AtImageSize(), map.ImageWidth, map.ImageHeight, map.Image);
            if (region is not null) picture = Overlay.Outline(picture, region);
            picture = Overlay.Enlarge(picture);
            string name = Golden.GoldenName.Sanitise($"{Path.GetFileNameWithoutExtension(map.Model)}_{map.Layer}_{map.Target}_{Interlocked.Increment(ref _counter)}_{Environment.ProcessId}");
            string path = Path.Combine(Directory, name + ".overlay.png");
            picture.Save(path, new Dictionary<string, string>
            {
                ["camassert:model"] = map.Model, ["camassert:layer"] = map.Layer, ["camassert:target"] = map.Target,
                ["camassert:method"] = Cam.CamMethods.Name(map.Method), ["camassert:region"] = region?.ToString() ?? "",
            });
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
