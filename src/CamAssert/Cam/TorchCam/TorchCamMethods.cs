using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Cam.TorchCam;

/// <summary>
/// The methods CamAssert takes from TorchCAM (frgfm/torch-cam): CAM, SS-CAM, IS-CAM and Smooth
/// Grad-CAM++, each one layer's map for one image, before the common scaling. eigen_smooth does
/// not apply to them (TorchCAM has none).
/// </summary>
internal static class TorchCamMethods
{
    /// <summary>Whether <paramref name="method"/> is one of TorchCAM's.</summary>
    public static bool Covers(CamMethod method) => method is CamMethod.Cam or CamMethod.SsCam or CamMethod.IsCam or CamMethod.SmoothGradCamPlusPlus;

    /// <summary>What a TorchCAM method reads besides the layer's planes: the model and input, the image, the layer and its layout, the clean forward's output.</summary>
    public sealed record Context(CamModel Model, Tensor Input, int Image, Layer Layer, MapLayout Layout, (int K, int H, int W) Grid, (int H, int W) Size, Tensor Output);

    public static ChannelMaps.Result Map(CamMethod method, Context c, float[] a, Target target, CamOptions options) => method switch
    {
        CamMethod.Cam => ClassActivationMap.Map(c.Model, c.Layer, a, c.Grid.K, c.Grid.H * c.Grid.W, target, TargetContext.Of(c.Model), c.Output),
        CamMethod.SsCam or CamMethod.IsCam => ChannelMaps.Weighted(a, SmoothedScoreCam.Weights(method, c.Model, c.Input, c.Image, target, a, c.Grid, c.Size, options), c.Grid.K, c.Grid.H * c.Grid.W),
        CamMethod.SmoothGradCamPlusPlus => SmoothGradCamPlusPlus.Map(c.Model, c.Input, c.Image, target, c.Layer, a, c.Layout, c.Grid, options),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a TorchCAM method."),
    };
}
