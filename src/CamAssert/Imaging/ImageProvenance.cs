namespace CamAssert.Imaging;

/// <summary>
/// Where a loaded image's samples came from: the file's format, what it stored, and what
/// CamAssert did to it on loading (EXIF orientation) and does when the model takes RGB (gray
/// replicated, alpha dropped). Written on heatmaps' golden files and overlays as <c>camassert:image</c>.
/// </summary>
/// <param name="Format">The file format as ImageSharp names it: "PNG", "JPEG", "GIF", ….</param>
/// <param name="Channels">Channels kept: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.</param>
/// <param name="BitDepth">Bits per sample kept: 16 for 16-bit PNG, TIFF and PGM/PPM, otherwise 8.</param>
/// <param name="Orientation">The EXIF orientation (1 to 8) that was applied; 1 when there was none.</param>
public sealed record ImageProvenance(string Format, int Channels, int BitDepth, int Orientation = 1)
{
    /// <summary>"JPEG, 8-bit gray (replicated to RGB for the model), EXIF orientation 6 applied".</summary>
    public override string ToString()
    {
        string stored = Channels switch
        {
            1 => "gray (replicated to RGB for the model)",
            2 => "gray + alpha (gray replicated to RGB, alpha dropped for the model)",
            3 => "RGB",
            _ => "RGBA (alpha dropped for the model)",
        };
        string orientation = Orientation == 1 ? "" : $", EXIF orientation {Orientation} applied";
        return $"{Format}, {BitDepth}-bit {stored}{orientation}";
    }
}
