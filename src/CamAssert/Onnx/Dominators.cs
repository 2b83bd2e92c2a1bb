using CamAssert.Models;
using CamAssert.Onnx.Engine;

namespace CamAssert.Onnx;

/// <summary>
/// The tensors every path from the model input to an output passes through. In a graph in
/// topological order, a tensor is such a dominator exactly when no data edge jumps over it
/// (from a tensor before it to a tensor after it), so one sweep finds them all.
/// </summary>
internal static class Dominators
{
    /// <summary>Dominators of <paramref name="output"/> from <paramref name="input"/>, in execution order.</summary>
    public static IReadOnlyList<string> Of(Graph graph, string input, string output)
    {
        var position = new Dictionary<string, int> { [input] = 0 };
        foreach (var node in graph.Nodes)
            foreach (var o in node.Outputs)
                if (o.Length > 0 && node.Inputs.Any(position.ContainsKey)) position.TryAdd(o, position.Count);
        if (!position.ContainsKey(output)) return [];

        // Keep the tensors that also lead to the output.
        var leads = new HashSet<string> { output };
        foreach (var node in graph.Nodes.Reverse())
            if (node.Outputs.Any(leads.Contains))
                foreach (var i in node.Inputs) if (position.ContainsKey(i)) leads.Add(i);

        int count = position.Count;
        var reach = new int[count + 1]; // furthest target of an edge leaving each position
        foreach (var node in graph.Nodes)
            foreach (var o in node.Outputs.Where(leads.Contains))
                foreach (var i in node.Inputs.Where(leads.Contains))
                    reach[position[i]] = Math.Max(reach[position[i]], position[o]);

        var ordered = position.Where(p => leads.Contains(p.Key)).OrderBy(p => p.Value).ToList();
        var result = new List<string>();
        int furthest = 0;
        foreach (var (tensor, pos) in ordered)
        {
            if (furthest <= pos) result.Add(tensor);
            furthest = Math.Max(furthest, reach[pos]);
        }
        return result;
    }
}
