using CamAssert.Cam;
using CamAssert.Models.Layers;

namespace CamAssert.Suites;

/// <summary>How a set is scored: the CAM method, layer and options, how many images run at once, and a progress callback.</summary>
public sealed record SuiteOptions
{
    /// <summary>The defaults: Grad-CAM at the automatically chosen layer, images over every core.</summary>
    public static SuiteOptions Default { get; } = new();

    /// <summary>The CAM method (default Grad-CAM).</summary>
    public CamMethod Method { get; init; } = CamMethod.GradCam;

    /// <summary>The layer (default: chosen automatically, as for one heatmap).</summary>
    public LayerPath? Layer { get; init; }

    /// <summary>Preprocessing and layout.</summary>
    public CamOptions Cam { get; init; } = CamOptions.Default;

    /// <summary>Images scored at once (default: the processor count). Results are the same, in the same order, for any value.</summary>
    public int MaxParallelImages { get; init; } = Environment.ProcessorCount;

    /// <summary>Called after each image with the number of images done so far (from any thread).</summary>
    public Action<int>? Progress { get; init; }
}
