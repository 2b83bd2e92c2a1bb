using CamAssert.Models;
using CamAssert.Models.Backends;

namespace CamAssert.Cam;

/// <summary>How a layer's output lays out channels and positions.</summary>
public enum MapLayout
{
    /// <summary>The model input's layout (NHWC for channels-last Keras/tf2onnx inputs, else NCHW); tokens for rank-3 outputs.</summary>
    Auto,
    /// <summary>[N, C, H, W] (PyTorch).</summary>
    Nchw,
    /// <summary>[N, H, W, C] (Keras/TensorFlow).</summary>
    Nhwc,
    /// <summary>Transformer tokens [N, 1 + h·w, C]: the class token is dropped and the rest folded into an h×w grid (pytorch-grad-cam's reshape_transform).</summary>
    Tokens,
}

/// <summary>Reading channel-major maps out of tensors in each layout.</summary>
internal static class MapLayouts
{
    /// <summary>The layout of a layer output of <paramref name="shape"/>: as given, else tokens for rank 3, else the model input's layout.</summary>
    public static MapLayout Resolve(MapLayout layout, ModelInput input, long[] shape)
    {
        if (layout != MapLayout.Auto) return layout;
        if (shape.Length == 3) return MapLayout.Tokens;
        return input.Layout == Imaging.TensorLayout.Nhwc ? MapLayout.Nhwc : MapLayout.Nchw;
    }

    /// <summary>(K, H, W) of one image's map, or null when the shape is not a map in this layout.</summary>
    public static (int K, int H, int W)? Grid(long[] shape, MapLayout layout)
    {
        if (shape.Skip(1).Any(d => d < 0)) return null; // the batch axis may be symbolic
        switch (layout)
        {
            case MapLayout.Nchw when shape.Length == 4: return ((int)shape[1], (int)shape[2], (int)shape[3]);
            case MapLayout.Nhwc when shape.Length == 4: return ((int)shape[3], (int)shape[1], (int)shape[2]);
            case MapLayout.Tokens when shape.Length == 3:
            {
                int side = (int)Math.Round(Math.Sqrt(shape[1] - 1));
                return side * side == shape[1] - 1 && side > 0 ? ((int)shape[2], side, side) : null;
            }
            default: return null;
        }
    }

    /// <summary>Image <paramref name="image"/>'s map as K planes of H×W, channel-major.</summary>
    public static float[] ChannelMajor(Tensor t, int image, MapLayout layout, (int K, int H, int W) g)
    {
        int hw = g.H * g.W;
        var r = new float[g.K * hw];
        var f = t.F;
        switch (layout)
        {
            case MapLayout.Nchw:
                Array.Copy(f, image * g.K * hw, r, 0, g.K * hw);
                break;
            case MapLayout.Nhwc:
                for (int p = 0; p < hw; p++) for (int c = 0; c < g.K; c++) r[c * hw + p] = f[(image * hw + p) * g.K + c];
                break;
            default: // tokens: skip the class token
                int tokens = hw + 1;
                for (int p = 0; p < hw; p++) for (int c = 0; c < g.K; c++) r[c * hw + p] = f[(image * tokens + 1 + p) * g.K + c];
                break;
        }
        return r;
    }

    /// <summary>Where channel <paramref name="c"/> at position <paramref name="p"/> of image <paramref name="image"/> sits in the layer's tensor (the inverse of <see cref="ChannelMajor"/>).</summary>
    public static int Offset(int image, int c, int p, MapLayout layout, (int K, int H, int W) g)
    {
        int hw = g.H * g.W;
        return layout switch
        {
            MapLayout.Nchw => (image * g.K + c) * hw + p,
            MapLayout.Nhwc => (image * hw + p) * g.K + c,
            _ => (image * (hw + 1) + 1 + p) * g.K + c,
        };
    }
}
