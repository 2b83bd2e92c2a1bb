using CamAssert.Heatmaps;
using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// A segmentation model's score for one class over a mask (pytorch-grad-cam's
/// SemanticSegmentationTarget): Σ_{y,x} output[class, y, x]·mask[y, x], on an N×C×H×W output
/// (torchvision FCN / DeepLabV3 exported to ONNX: the "out" map, already resized to the input).
/// Linear in the output, so its seed is the mask placed on the class's plane.
/// </summary>
internal sealed class SegmentationTarget : Target
{
    private readonly int _index;
    private readonly string? _name;
    private readonly float[]? _mask;
    private readonly int _height, _width;
    private readonly Region? _region;

    /// <summary>A class and a mask of weights, one per output pixel (rows = H, columns = W).</summary>
    public SegmentationTarget(int index, string? name, float[,] mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        (_index, _name, _height, _width) = (index, name, mask.GetLength(0), mask.GetLength(1));
        if (_height == 0 || _width == 0) throw new ArgumentException($"The segmentation mask is {_height}×{_width} (H×W); give one weight per pixel of the model's output map.", nameof(mask));
        _mask = new float[_height * _width];
        for (int y = 0; y < _height; y++)
            for (int x = 0; x < _width; x++)
            {
                float v = mask[y, x];
                if (!float.IsFinite(v)) throw new ArgumentException($"The segmentation mask holds {v} at row {y}, column {x}; every weight must be finite (1 inside, 0 outside).", nameof(mask));
                _mask[y * _width + x] = v;
            }
    }

    /// <summary>A class and a region, rasterised at the output map's size (1 inside, 0 outside).</summary>
    public SegmentationTarget(int index, string? name, Region region)
    {
        ArgumentNullException.ThrowIfNull(region);
        (_index, _name, _region) = (index, name, region);
    }

    internal override Tensor Seed(Tensor output, int image, TargetContext model)
    {
        if (output.Rank != 4)
            throw new ArgumentException($"Target.Segmentation needs a segmentation output N×C×H×W (class scores per pixel), but the output of '{model.Model}' has shape {Tensor.ShapeText(output.Shape)}. Use Target.Class for a classifier.");
        int classes = output.Shape[1], h = output.Shape[2], w = output.Shape[3];
        int k = Index(model, classes);
        var mask = Mask(model, h, w);
        var seed = new float[output.Length];
        mask.CopyTo(seed, (image * classes + k) * h * w);
        return Tensor.FromFloats(output.Shape, seed);
    }

    /// <summary>A masked sum of scores: linear.</summary>
    internal override Tensor? SeedTangent(Tensor output, int image, TargetContext model, Tensor tangent) => null;

    private float[] Mask(TargetContext model, int h, int w)
    {
        if (_region is not null)
        {
            try { return _region.Rasterize(w, h).Select(inside => inside ? 1f : 0f).ToArray(); }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"The segmentation region {_region} cannot be placed on the {h}×{w} (H×W) output map of '{model.Model}': {e.Message}", e);
            }
        }
        if (h != _height || w != _width)
            throw new ArgumentException($"The segmentation mask is {_height}×{_width} (H×W) but the output map of '{model.Model}' is {h}×{w}. Give a mask of the output's size (torchvision segmentation models resize their output to the input image).");
        return _mask!;
    }

    private int Index(TargetContext model, int classes) =>
        ResolveClass(_index, _name, classes, model, "Target.Segmentation(index, mask)", $"the segmentation output of '{model.Model}' has");

    internal override string Describe(TargetContext model)
    {
        string cls = _name is not null ? $"class '{_name}'" : _index < model.Labels.Count ? $"class {_index} ({model.Labels[_index]})" : $"class {_index}";
        string where = _region is not null ? _region.ToString()! : $"a {_height}×{_width} mask ({_mask!.Count(v => v != 0)} pixels)";
        return $"{cls} summed over {where}";
    }
}
