using CamAssert.Models;
namespace CamAssert.Onnx.Engine;

internal sealed partial class Executor
{
    /// <summary>
    /// The Hessian-vector product at <paramref name="target"/>: how the gradient of Σ seed·output at
    /// <paramref name="target"/> (see <see cref="Gradient"/>) changes when the tensor at <paramref name="target"/> moves
    /// along <paramref name="direction"/> — Pearlmutter's R-operator. A forward pass carries the tangent from
    /// <paramref name="target"/> through <paramref name="nodes"/> (each operator's Jacobian applied to it); the backward
    /// then carries the gradients and their tangents together (each operator's <see cref="Operator.BackwardTangent"/>).
    /// <paramref name="seedTangent"/> gives the seed's own change for the output's tangent (the target's Hessian times
    /// it; null for a seed that does not depend on the output).
    /// </summary>
    /// <exception cref="ModelRunException">An operator on the way has no second-order rule; the message names it.</exception>
    public Tensor HessianVectorProduct(IReadOnlyDictionary<string, Tensor> values, IReadOnlyList<int> nodes, string output, Tensor seed, string target,
        Tensor direction, Func<Tensor, Tensor?>? seedTangent)
    {
        Tensor Value(string n) => values.TryGetValue(n, out var v) ? v : _graph.Initializers[n];
        Tensor?[] Inputs(Node node) => node.Inputs.Select(n => n.Length == 0 ? null : Value(n)).ToArray();
        Tensor[] Outputs(Node node) => node.Outputs.Select(o => o.Length == 0 ? Tensor.Scalar(0) : Value(o)).ToArray();

        var tangents = new Dictionary<string, Tensor> { [target] = direction };
        foreach (int i in nodes)
        {
            var node = _graph.Nodes[i];
            var inTangents = node.Inputs.Select(n => tangents.GetValueOrDefault(n)).ToArray();
            if (SecondOrder.NoneVary(inTangents)) continue;
            var inputs = Inputs(node);
            var outs = Run(() => _ops[i].Tangent(new SecondOrderArgs(node, inputs, Outputs(node), inTangents)), node, inputs);
            for (int k = 0; k < node.Outputs.Count && k < outs.Length; k++)
                if (outs[k] is { } t && node.Outputs[k].Length > 0) tangents[node.Outputs[k]] = t;
        }

        var grads = new Dictionary<string, Tensor> { [output] = seed };
        var rgrads = new Dictionary<string, Tensor>();
        if (seedTangent is not null && tangents.TryGetValue(output, out var outputTangent) && seedTangent(outputTangent) is { } ds) rgrads[output] = ds;
        var onPath = nodes.SelectMany(i => _graph.Nodes[i].Outputs).Append(target).ToHashSet();
        for (int j = nodes.Count - 1; j >= 0; j--)
        {
            var node = _graph.Nodes[nodes[j]];
            var outGrads = node.Outputs.Select(o => grads.GetValueOrDefault(o)).ToArray();
            if (outGrads.All(g => g is null)) continue;
            var inputs = Inputs(node);
            var outputs = Outputs(node);
            var wanted = node.Inputs.Select(onPath.Contains).ToArray();
            var op = _ops[nodes[j]];
            var inGrads = Run(() => op.Backward(node, inputs, outputs, outGrads, wanted), node, inputs);
            var args = new SecondOrderArgs(node, inputs, outputs, node.Inputs.Select(n => tangents.GetValueOrDefault(n)).ToArray())
            {
                OutputTangents = node.Outputs.Select(o => tangents.GetValueOrDefault(o)).ToArray(),
                Gradients = outGrads,
                GradientTangents = node.Outputs.Select(o => rgrads.GetValueOrDefault(o)).ToArray(),
                Wanted = wanted,
            };
            var inR = SecondOrder.NoneVary(args.Tangents) && SecondOrder.NoneVary(args.GradientTangents)
                ? [] : Run(() => op.BackwardTangent(args), node, inputs);
            for (int k = 0; k < node.Inputs.Count; k++)
            {
                string name = node.Inputs[k];
                if (!onPath.Contains(name)) continue;
                if (k < inGrads.Length && inGrads[k] is { } g) grads[name] = grads.TryGetValue(name, out var acc) ? Accumulate(acc, g) : g;
                if (k < inR.Length && inR[k] is { } r) rgrads[name] = rgrads.TryGetValue(name, out var racc) ? Accumulate(racc, r) : r;
            }
            foreach (var o in node.Outputs) if (o != target) { grads.Remove(o); rgrads.Remove(o); }
        }
        return rgrads.TryGetValue(target, out var hv) ? hv : Tensor.Zeros(DataType.Float32, direction.Shape);
    }
}
