using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Cam.TorchCam;

/// <summary>
/// CAM (Zhou et al. 2016, TorchCAM's <c>CAM</c>): the layer's channels weighted by the classifier's
/// weights of the class, Σ_k W[class, k]·A_k, the weights read from the backend
/// (<see cref="Models.Backends.ModelBackend.ClassifierWeights"/>). TorchCAM applies no ReLU to CAM
/// and min-max normalises it; the layer map here is Σ_k W·A minus its minimum, which the common
/// scaling turns into TorchCAM's normalised map.
/// </summary>
internal static class ClassActivationMap
{
    public static ChannelMaps.Result Map(CamModel model, Layer layer, float[] a, int k, int hw, Target target, TargetContext context, Tensor output)
    {
        if (target is not ClassTarget { IsProbability: false } c)
            throw new CamException($"CAM weighs the layer's channels by the classifier's weights of one class: give Target.Class(index or name), not {target.Describe(context)}.");
        Tensor weights;
        try { weights = model.Backend.ClassifierWeights(layer); }
        catch (NotSupportedException e) { throw new CamException(e.Message); }
        int index = c.Index(context, output), classes = weights.Shape[0], features = weights.Shape[1];
        if (features != k)
            throw new CamException($"CAM needs one classifier weight per channel of layer '{layer.Path}' of '{model.Name}', which has {k} channels, but the classifier's weights are {classes}×{features}. Choose the layer the global average pool reads.");
        if (index >= classes)
            throw new CamException($"Class {index} is out of range for the classifier of '{model.Name}', which has {classes} classes.");
        var w = weights.F.AsSpan(index * features, features).ToArray();
        var map = new float[hw];
        var contributions = new double[k];
        for (int ch = 0; ch < k; ch++)
        {
            double sum = 0;
            for (int i = 0; i < hw; i++) { float v = w[ch] * a[ch * hw + i]; map[i] += v; sum += v; }
            contributions[ch] = sum;
        }
        float min = map.Min();
        for (int i = 0; i < hw; i++) map[i] -= min;
        return new ChannelMaps.Result(map, w, contributions);
    }
}
