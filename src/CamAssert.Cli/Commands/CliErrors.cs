using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Cli.Commands;

/// <summary>Turns the library's typed exceptions into a one-line error and an exit code; nothing else escapes as a stack trace.</summary>
internal static class CliErrors
{
    public const int BadInput = 2;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is CamModelLoadException or LayerNotFoundException or AmbiguousLayerPathException or CamAssert.Cam.CamException or CamAssert.Models.ModelRunException or CamAssert.Imaging.ImageFormatException or CamAssert.Suites.AnnotationException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine("error: " + e.Message.ReplaceLineEndings(" "));
            return BadInput;
        }
    }
}
