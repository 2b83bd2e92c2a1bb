using CamAssert.Models;
namespace CamAssert.Onnx.Engine;

/// <summary>One operation of the graph: an operator applied to named input tensors, producing named output tensors.</summary>
/// <param name="Name">The node's name as the exporter wrote it (it carries the module scope).</param>
/// <param name="OpType">The operator, such as <c>Conv</c>.</param>
/// <param name="Inputs">Input tensor names; an empty string marks an omitted optional input.</param>
/// <param name="Outputs">Output tensor names.</param>
/// <param name="Attributes">The operator's attributes.</param>
internal sealed record Node(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, Attributes Attributes)
{
    /// <summary>The operator domain; empty for the default ONNX domain.</summary>
    public string Domain { get; init; } = "";

    /// <summary>Input <paramref name="index"/>, or null when absent or omitted.</summary>
    public string? Input(int index) => index < Inputs.Count && Inputs[index].Length > 0 ? Inputs[index] : null;

    /// <inheritdoc/>
    public override string ToString() => $"{OpType} node '{Name}'";
}
