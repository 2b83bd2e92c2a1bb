namespace CamAssert.Models.Layers;

/// <summary>
/// A path to a layer as a user writes it: dotted (<c>backbone.layer4.1.conv2</c>), slashed
/// (<c>resnet50/conv5_block3_out</c>), with indices (<c>layer4[-1]</c>, <c>features[3]</c>), or an
/// exact ONNX node or tensor name. Strings convert implicitly.
/// </summary>
public readonly record struct LayerPath(string Text)
{
    /// <summary>Wraps a path string.</summary>
    public static implicit operator LayerPath(string text) => new(text);

    /// <summary>Splits the path into steps (see <see cref="PathGrammar"/>); null when it is not of the path form at all.</summary>
    internal IReadOnlyList<PathGrammar.Step>? Steps() => PathGrammar.Steps(Text);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
