namespace CamAssert.Cam;

/// <summary>
/// One layer's map for one image by each method, from the activations A and gradients G
/// (K×H×W, channel-major), before any scaling: the switch from <see cref="CamMethod"/> to the
/// formulas in <see cref="ChannelMaps"/>, <see cref="KernelPca"/> and <see cref="ScoreCam"/>,
/// with pytorch-grad-cam's eigen_smooth where it applies.
/// </summary>
internal static class MethodMaps
{
    /// <summary>What a method may read: the planes, the target, the options, and the weights computed outside (Score-CAM's and Ablation-CAM's forwards, RandomCAM's draws).</summary>
    public sealed record Planes(float[] A, float[]? G, int K, int HW, Target Target, CamOptions Options, Func<float[]> ScoreCamWeights, float[]? RandomWeights, Func<float[]> AblationWeights, Func<ChannelMaps.Result>? TorchCamMap = null);

    public static ChannelMaps.Result Compute(CamMethod method, Planes p)
    {
        int k = p.K, hw = p.HW;
        var a = p.A;
        return method switch
        {
            // ShapleyCAM's G arrives as G − ½·H·A (ShapleyCam.Gradient).
            CamMethod.GradCam or CamMethod.FinerCam or CamMethod.ShapleyCam => Weighted(p, ChannelMaps.MeanGradients(p.G!, k, hw)),
            CamMethod.GradCamPlusPlus => Weighted(p, ChannelMaps.PlusPlusWeights(a, p.G!, k, hw)),
            CamMethod.XGradCam => Weighted(p, ChannelMaps.XGradWeights(a, p.G!, k, hw)),
            CamMethod.ScoreCam => Weighted(p, p.ScoreCamWeights()),
            CamMethod.AblationCam => Weighted(p, p.AblationWeights()),
            CamMethod.RandomCam => Weighted(p, p.RandomWeights!),
            CamMethod.Cam or CamMethod.SsCam or CamMethod.IsCam or CamMethod.SmoothGradCamPlusPlus => p.TorchCamMap!(),
            CamMethod.HiResCam => Products(p, ChannelMaps.Product.Plain),
            CamMethod.LayerCam => Products(p, ChannelMaps.Product.ReluGradient),
            CamMethod.GradCamElementWise => Products(p, ChannelMaps.Product.ReluProduct),
            CamMethod.EigenCam => ChannelMaps.Eigen(a, k, hw),
            CamMethod.EigenGradCam => ChannelMaps.Eigen(ChannelMaps.Products(a, p.G!, ChannelMaps.Product.Plain), k, hw),
            CamMethod.KpcaCam => KernelPca.Map(a, k, hw, p.Options.KpcaKernel, p.Options.KpcaGamma),
            // pytorch-grad-cam's FEM overrides get_cam_image: eigen_smooth does not apply.
            CamMethod.Fem => ChannelMaps.Weighted(a, ChannelMaps.FemWeights(a, k, hw, p.Options.FemSigmas), k, hw),
            _ => ChannelMaps.Weighted(a, OneHot(p.Target, k), k, hw),
        };
    }

    /// <summary>Σ_k w_k A_k, or with eigen_smooth the projection of the planes w_k A_k.</summary>
    private static ChannelMaps.Result Weighted(Planes p, float[] w) =>
        p.Options.EigenSmooth
            ? ChannelMaps.Eigen(ChannelMaps.WeightedPlanes(p.A, w, p.K, p.HW), p.K, p.HW) with { Weights = w }
            : ChannelMaps.Weighted(p.A, w, p.K, p.HW);

    private static ChannelMaps.Result Products(Planes p, ChannelMaps.Product product)
    {
        var planes = ChannelMaps.Products(p.A, p.G!, product);
        return p.Options.EigenSmooth ? ChannelMaps.Eigen(planes, p.K, p.HW) with { Weights = null } : ChannelMaps.Summed(planes, p.K, p.HW);
    }

    private static float[] OneHot(Target target, int k)
    {
        if (target is not ChannelTarget channel)
            throw new CamException("The activation method shows one channel of the layer: use Target.Channel(k) to say which.");
        if (channel.Index < 0 || channel.Index >= k) throw new CamException($"Channel {channel.Index} is out of range: the layer has {k} channels (0 to {k - 1}).");
        var w = new float[k];
        w[channel.Index] = 1;
        return w;
    }
}
