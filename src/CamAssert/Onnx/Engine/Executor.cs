using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine;

/// <summary>
/// Runs a graph: the forward pass (keeping the activations a caller asks for and freeing the
/// rest after their last use), and a targeted backward pass that executes only the nodes
/// between an intermediate tensor and the output.
/// </summary>
internal sealed partial class Executor
{
    private readonly Graph _graph;
    private readonly Operator[] _ops;
    private readonly Dictionary<string, int> _lastUse = [];
    private readonly Arena _arena = new();
    private readonly Dictionary<string, int> _producer = [], _readers = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Executor(Graph graph, long opset)
    {
        _graph = graph;
        _ops = graph.Nodes.Select(n => OperatorSet.Find(n, opset)
            ?? throw new InvalidOperationException($"{n} has no implementation")).ToArray();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (var input in graph.Nodes[i].Inputs)
                if (input.Length > 0) { _lastUse[input] = i; _readers[input] = _readers.GetValueOrDefault(input) + 1; }
            foreach (var output in graph.Nodes[i].Outputs)
                if (output.Length > 0) _producer[output] = i;
        }
    }

    /// <summary>When set, forward time per op type in milliseconds accumulates here (for benchmarks).</summary>
    internal static Dictionary<string, double>? Profile;

    /// <summary>When set with <see cref="Profile"/>, times are kept per operator and shape (inputs → output) instead of per op type.</summary>
    internal static bool ProfileShapes;

    private static string ProfileKey(Node node, Tensor?[] args, Tensor[] outs) => !ProfileShapes ? node.OpType
        : $"{node.OpType} {string.Join(" ", args.Where(a => a is not null).Select(a => "[" + string.Join("x", a!.Shape) + "]"))} -> [{string.Join("x", outs[0].Shape)}]";

    /// <summary>
    /// Runs the forward pass on <paramref name="inputs"/>. The result holds the graph outputs and
    /// every tensor named in <paramref name="keep"/>; other activations are dropped after their last use.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Dictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlySet<string> keep)
    {
        var values = new Dictionary<string, Tensor>(inputs);
        var nodes = _graph.Nodes;
        using var scope = _arena.Open();
        var clampedAhead = new HashSet<int>();
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var args = node.Inputs.Select(n => n.Length == 0 ? null : values.TryGetValue(n, out var v) ? v : _graph.Initializers[n]).ToArray();
            long start = Profile is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            Tensor[] outs;
            if (clampedAhead.Contains(i)) outs = [args[0]!];
            else if (_ops[i] is IClampFusable fusable && ClampAhead(i, keep, inputs, values) is { } ahead)
            {
                // The clamp that alone reads this output is applied as the output is written.
                outs = Run(() => fusable.Forward(node, args, ahead.Bounds), node, args);
                if (outs[0].Floats is not null) clampedAhead.Add(ahead.Node);  // integer arithmetic is not clamped
            }
            else outs = Run(() => _ops[i].Forward(node, args), node, args);
            if (Profile is not null)
                lock (Profile) Profile[ProfileKey(node, args, outs)] = Profile.GetValueOrDefault(ProfileKey(node, args, outs)) + System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            for (int k = 0; k < node.Outputs.Count && k < outs.Length; k++)
                if (node.Outputs[k].Length > 0) values[node.Outputs[k]] = outs[k];
            foreach (var input in node.Inputs) Release(input, i);
        }
        return values;

        void Release(string input, int at)
        {
            if (input.Length > 0 && _lastUse[input] == at && !keep.Contains(input) && !_graph.IsOutput(input) && !inputs.ContainsKey(input)
                && values.Remove(input, out var dropped))
                scope.GiveBack(dropped.Floats, values.Values);
        }
    }

    /// <summary>
    /// The clamp node (and its bounds) that alone reads node <paramref name="i"/>'s output, when
    /// that output is kept for no one and the clamp's bounds are known before it runs (constants,
    /// initializers or Constant nodes); else null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Node, (float Lo, float Hi) Bounds)? ClampAhead(int i, IReadOnlySet<string> keep, IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> values)
    {
        var nodes = _graph.Nodes;
        if (nodes[i].Outputs.Count != 1) return null;
        string y = nodes[i].Outputs[0];
        if (_readers.GetValueOrDefault(y) != 1 || keep.Contains(y) || _graph.IsOutput(y) || inputs.ContainsKey(y)) return null;
        int j = _lastUse[y];
        if (_ops[j] is not IClamp clamp || nodes[j].Inputs[0] != y) return null;
        var args = new Tensor?[nodes[j].Inputs.Count];
        for (int k = 1; k < args.Length; k++)
        {
            string name = nodes[j].Inputs[k];
            if (name.Length == 0) continue;
            if (values.TryGetValue(name, out var v) || _graph.Initializers.TryGetValue(name, out v)) args[k] = v;
            else if (_producer.TryGetValue(name, out int p) && nodes[p].OpType == "Constant" && nodes[p].Inputs.Count == 0) args[k] = _ops[p].Forward(nodes[p], [])[0];
            else return null;
        }
        return clamp.Bounds(nodes[j], args) is { } bounds ? (j, bounds) : null;
    }

    /// <summary>The nodes on some path from tensor <paramref name="from"/> to tensor <paramref name="to"/>, in execution order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<int> Between(string from, string to)
    {
        var reachable = new HashSet<string> { from };
        var forward = new List<int>();
        for (int i = 0; i < _graph.Nodes.Count; i++)
            if (_graph.Nodes[i].Inputs.Any(reachable.Contains))
            {
                forward.Add(i);
                foreach (var o in _graph.Nodes[i].Outputs) reachable.Add(o);
            }
        var needed = new HashSet<string> { to };
        var result = new List<int>();
        for (int j = forward.Count - 1; j >= 0; j--)
        {
            var node = _graph.Nodes[forward[j]];
            if (!node.Outputs.Any(needed.Contains)) continue;
            result.Add(forward[j]);
            foreach (var input in node.Inputs) if (reachable.Contains(input)) needed.Add(input);
        }
        result.Reverse();
        return result;
    }

    /// <summary>
    /// The value of <paramref name="output"/> when <paramref name="tensor"/> is replaced by <paramref name="replacement"/>:
    /// only <paramref name="nodes"/> (from <see cref="Between"/>) run again; their other inputs come from <paramref name="values"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor ForwardFrom(IReadOnlyDictionary<string, Tensor> values, IReadOnlyList<int> nodes, string tensor, Tensor replacement, string output)
    {
        var overlay = new Dictionary<string, Tensor> { [tensor] = replacement };
        Tensor Value(string n) => overlay.TryGetValue(n, out var v) ? v : values.TryGetValue(n, out v) ? v : _graph.Initializers[n];
        foreach (int i in nodes)
        {
            var node = _graph.Nodes[i];
            var args = node.Inputs.Select(n => n.Length == 0 ? null : Value(n)).ToArray();
            var outs = Run(() => _ops[i].Forward(node, args), node, args);
            for (int k = 0; k < node.Outputs.Count && k < outs.Length; k++)
                if (node.Outputs[k].Length > 0) overlay[node.Outputs[k]] = outs[k];
        }
        return Value(output);
    }

    /// <summary>Whether <paramref name="tensor"/> is a weight (an initializer), which the executor supplies itself.</summary>
    public bool IsWeight(string tensor) => _graph.Initializers.ContainsKey(tensor);

    /// <summary>The tensors the backward pass over <paramref name="nodes"/> reads: their inputs and outputs.</summary>
    public IReadOnlySet<string> Needed(IEnumerable<int> nodes) =>
        nodes.SelectMany(i => _graph.Nodes[i].Inputs.Concat(_graph.Nodes[i].Outputs)).Where(n => n.Length > 0).ToHashSet();

    /// <summary>
    /// The gradient at <paramref name="target"/> of the scalar Σ seed·output, running backward
    /// only through <paramref name="nodes"/> (from <see cref="Between"/>) on forward <paramref name="values"/>.
    /// With <paramref name="guidedRelu"/>, every Relu node passes back only the positive part of its
    /// output's gradient (guided backpropagation).
    /// </summary>
    public Tensor Gradient(IReadOnlyDictionary<string, Tensor> values, IReadOnlyList<int> nodes, string output, Tensor seed, string target, bool guidedRelu = false) =>
        Gradients(values, nodes, output, seed, target, new HashSet<string>(), guidedRelu)[target];

    /// <summary>
    /// <see cref="Gradient"/>, also keeping the gradient at each tensor of <paramref name="also"/> (outputs of
    /// <paramref name="nodes"/>; zeros where none arrives): one backward for all of them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Dictionary<string, Tensor> Gradients(IReadOnlyDictionary<string, Tensor> values, IReadOnlyList<int> nodes, string output, Tensor seed, string target,
        IReadOnlySet<string> also, bool guidedRelu = false)
    {
        var grads = new Dictionary<string, Tensor> { [output] = seed };
        var onPath = nodes.SelectMany(i => _graph.Nodes[i].Outputs).Append(target).ToHashSet();
        Tensor Value(string n) => values.TryGetValue(n, out var v) ? v : _graph.Initializers[n];
        for (int j = nodes.Count - 1; j >= 0; j--)
        {
            var node = _graph.Nodes[nodes[j]];
            var outGrads = node.Outputs.Select(o => grads.GetValueOrDefault(o)).ToArray();
            if (outGrads.All(g => g is null)) continue;
            if (guidedRelu && node.OpType == "Relu" && node.Domain.Length == 0) outGrads[0] = PositivePart(outGrads[0]!);
            var inputs = node.Inputs.Select(n => n.Length == 0 ? null : Value(n)).ToArray();
            var outputs = node.Outputs.Select(o => o.Length == 0 ? Tensor.Scalar(0) : Value(o)).ToArray();
            var wanted = node.Inputs.Select(onPath.Contains).ToArray();
            var inGrads = Run(() => _ops[nodes[j]].Backward(node, inputs, outputs, outGrads, wanted), node, inputs);
            for (int k = 0; k < node.Inputs.Count && k < inGrads.Length; k++)
            {
                string name = node.Inputs[k];
                if (inGrads[k] is not { } g || !onPath.Contains(name)) continue;
                grads[name] = grads.TryGetValue(name, out var acc) ? Accumulate(acc, g) : g;
            }
            foreach (var o in node.Outputs) if (o != target && !also.Contains(o)) grads.Remove(o);
        }
        return also.Append(target).Distinct().ToDictionary(t => t, t => grads.TryGetValue(t, out var g) ? g : Tensor.Zeros(DataType.Float32, Value(t).Shape));
    }

    /// <summary>
    /// The 2-D convolutions with a bias and the batch normalisations among <paramref name="nodes"/>: each one's output
    /// tensor and its bias per channel (for a batch normalisation B − mean·scale/√(var + ε), the bias it adds).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<(string Output, string Node, float[] Bias)> Biases(IReadOnlyList<int> nodes, IReadOnlyDictionary<string, Tensor> values)
    {
        Tensor Value(string n) => values.TryGetValue(n, out var v) ? v : _graph.Initializers[n];
        var result = new List<(string, string, float[])>();
        foreach (int i in nodes)
        {
            var node = _graph.Nodes[i];
            if (node.Domain.Length > 0 || node.Outputs.Count == 0 || !values.TryGetValue(node.Outputs[0], out var y) || y.Rank != 4) continue;
            if (node.OpType == "Conv" && node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
                result.Add((node.Outputs[0], node.Name, Value(node.Inputs[2]).F));
            else if (node.OpType == "BatchNormalization")
            {
                float eps = node.Attributes.Float("epsilon", 1e-5f);
                float[] scale = Value(node.Inputs[1]).F, b = Value(node.Inputs[2]).F, mean = Value(node.Inputs[3]).F, variance = Value(node.Inputs[4]).F;
                result.Add((node.Outputs[0], node.Name, b.Select((v, c) => v - mean[c] * scale[c] / MathF.Sqrt(variance[c] + eps)).ToArray()));
            }
        }
        return result;
    }

    /// <summary>Runs one operator, turning a failure into a <see cref="ModelRunException"/> that names the node.</summary>
    private static T Run<T>(Func<T> body, Node node, Tensor?[] inputs)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or KeyNotFoundException or InvalidCastException or NullReferenceException or OutOfMemoryException)
        {
            throw new ModelRunException($"{node} failed on inputs {string.Join(", ", inputs.Select(t => t?.ToString() ?? "(none)"))}: {e.Message}. " +
                "The model's graph does not fit the input it was given; check the input shape, or re-export the model.", e);
        }
    }

    private static Tensor PositivePart(Tensor g)
    {
        var r = new float[g.Length];
        System.Numerics.Tensors.TensorPrimitives.Max(g.F, 0f, r);
        return Tensor.FromFloats(g.Shape, r);
    }

    private static Tensor Accumulate(Tensor a, Tensor b)
    {
        var r = new float[a.Length];
        System.Numerics.Tensors.TensorPrimitives.Add(a.F, b.F, r);
        return Tensor.FromFloats(a.Shape, r);
    }
}
