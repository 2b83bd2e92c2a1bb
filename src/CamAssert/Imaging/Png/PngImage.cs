namespace CamAssert.Imaging.Png;

/// <summary>A decoded PNG: samples per channel (palette expanded, tRNS as alpha), at 8 or 16 bits, and its text chunks.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.</param>
/// <param name="BitDepth">8 (values 0..255; 1/2/4-bit images are scaled up) or 16 (0..65535).</param>
/// <param name="Samples">Row-major, channels interleaved.</param>
/// <param name="Text">tEXt, zTXt and iTXt entries.</param>
internal sealed record PngImage(int Width, int Height, int Channels, int BitDepth, ushort[] Samples, IReadOnlyDictionary<string, string> Text);
