using CamAssert.Assertions;
using CamAssert.Heatmaps;
using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert;

/// <summary>Entry points of CamAssert's FluentAssertions: <c>heatmap.Should()</c>, <c>model.Should()</c>, <c>layer.Should()</c>.</summary>
public static class ShouldExtensions
{
    /// <summary>Assertions about where a heatmap puts the evidence.</summary>
    public static HeatmapAssertions Should(this Heatmap heatmap) => new(heatmap);

    /// <summary>Assertions about a model's layers and classes.</summary>
    public static CamModelAssertions Should(this CamModel model) => new(model);

    /// <summary>Assertions about a layer.</summary>
    public static LayerAssertions Should(this Layer layer) => new(layer);
}
