using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;

namespace CamAssert.Imaging;

/// <summary>
/// The one ImageSharp configuration CamAssert reads and writes with: decoders for PNG, JPEG, BMP,
/// GIF (first frame only), WebP, TIFF (first frame only), PBM/PGM/PPM and TGA; an encoder for PNG
/// only. TIFF has a decoder and no encoder, so CamAssert can never write TIFF (the 2.x TIFF encoder
/// has open advisories; see docs/RELIABILITY.md).
/// </summary>
internal static class ImageCodecs
{
    /// <summary>Largest side CamAssert decodes, in pixels.</summary>
    public const int MaxSide = 16384;

    /// <summary>Largest decoded size CamAssert accepts: width × height × channels × bytes per sample.</summary>
    public const long MaxDecodedBytes = 256L << 20;

    /// <summary>The configuration; the allocator refuses any single buffer over 1 GB as a second guard.</summary>
    public static Configuration Configuration { get; } = Create();

    private static Configuration Create()
    {
        var configuration = new Configuration(
            new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule(),
            new GifConfigurationModule(), new WebpConfigurationModule(), new PbmConfigurationModule(), new TgaConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = 1024 }),
        };
        var formats = configuration.ImageFormatsManager;
        formats.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        formats.AddImageFormat(TiffFormat.Instance);
        formats.AddImageFormatDetector(new TiffImageFormatDetector());
        formats.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }

    /// <summary>The formats CamAssert reads, for messages.</summary>
    public const string Readable = "PNG, JPEG, BMP, GIF, WebP, TIFF, PBM/PGM/PPM or TGA";
}
