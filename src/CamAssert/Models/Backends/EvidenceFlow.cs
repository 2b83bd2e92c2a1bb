namespace CamAssert.Models.Backends;

/// <summary>
/// How evidence flows through a model, as far as its backend knows: every layer output in
/// execution order, and which of them all evidence passes through on its way from the input to
/// the output (for ONNX, the dominators of the output in the dataflow graph; for a module, the
/// trunk that reaches the global pooling). Automatic layer choice takes the last such output
/// with a spatial map; a given layer that evidence flows around gets a warning.
/// </summary>
public sealed class EvidenceFlow
{
    private readonly Dictionary<string, int> _position = new(StringComparer.Ordinal);
    private readonly HashSet<string> _bottlenecks;

    /// <summary>Describes the flow.</summary>
    /// <param name="executionOrder">Names of layer outputs (as in <see cref="ValueInfo.Name"/>) in the order the forward computes them; later duplicates are ignored.</param>
    /// <param name="allEvidence">The names among them that every path from the input to the output passes through.</param>
    public EvidenceFlow(IEnumerable<string> executionOrder, IEnumerable<string> allEvidence)
    {
        foreach (var name in executionOrder) _position.TryAdd(name, _position.Count);
        _bottlenecks = allEvidence.Where(_position.ContainsKey).ToHashSet(StringComparer.Ordinal);
        Bottlenecks = _bottlenecks.OrderBy(b => _position[b]).ToArray();
    }

    /// <summary>The outputs all evidence passes through, in execution order.</summary>
    public IReadOnlyList<string> Bottlenecks { get; }

    /// <summary>Whether all evidence passes through the output named <paramref name="output"/>.</summary>
    public bool PassesAll(string output) => _bottlenecks.Contains(output);

    /// <summary>The execution position of <paramref name="output"/>, or -1 when it is not in the order.</summary>
    public int PositionOf(string output) => _position.TryGetValue(output, out var p) ? p : -1;
}
