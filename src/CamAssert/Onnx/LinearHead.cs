using CamAssert.Models;
using CamAssert.Onnx.Engine;

namespace CamAssert.Onnx;

/// <summary>
/// Finds the classifier CAM weighs a layer's channels by, in the dataflow graph: from the layer's
/// output, a chain of single-consumer nodes that only pool or reshape (a ReLU, Transpose, Identity,
/// Dropout, Flatten, Reshape or Squeeze, and exactly one GlobalAveragePool or ReduceMean), ending in
/// a Gemm or MatMul whose weight is a constant, and whose output reaches the model output through
/// nothing but Softmax, LogSoftmax, Identity, Flatten or Reshape. Anything else names the node that
/// breaks the chain.
/// </summary>
internal static class LinearHead
{
    private static readonly HashSet<string> PassThrough = ["Relu", "Transpose", "Identity", "Dropout", "Flatten", "Reshape", "Squeeze", "Unsqueeze"];
    private static readonly HashSet<string> Pooling = ["GlobalAveragePool", "ReduceMean"];
    private static readonly HashSet<string> AfterHead = ["Softmax", "LogSoftmax", "Identity", "Flatten", "Reshape"];

    /// <summary>The [classes, channels] weights of the linear layer fed by the global average pool of <paramref name="activation"/>.</summary>
    /// <exception cref="NotSupportedException">There is no such chain; the message names where it breaks.</exception>
    public static Tensor Weights(Graph graph, string activation, string output, string model, string layer) =>
        Find(graph, activation, output, model, layer).Weights;

    /// <summary>The classifier's bias (one per class): Gemm's constant C times beta, or zeros when it has none (MatMul, Gemm without C).</summary>
    /// <exception cref="NotSupportedException">There is no such chain, or C is not a constant vector of one value per class.</exception>
    public static Tensor Bias(Graph graph, string activation, string output, string model, string layer)
    {
        var (node, weights) = Find(graph, activation, output, model, layer);
        int classes = weights.Shape[0];
        if (node.OpType != "Gemm" || node.Input(2) is not { Length: > 0 } c) return Tensor.FromFloats([classes], new float[classes]);
        var b = Constant(graph, c);
        if (b?.Floats is null || b.Length != classes)
            throw new NotSupportedException($"The classifier {node} of '{model}' adds '{c}', which is not a constant vector of {classes} values; its concept scores cannot be computed. Use the concepts and maps without scores.");
        float beta = node.Attributes.Float("beta", 1f);
        return Tensor.FromFloats([classes], b.F.Select(v => v * beta).ToArray());
    }

    private static (Node Node, Tensor Weights) Find(Graph graph, string activation, string output, string model, string layer)
    {
        string Fail(string why) =>
            $"CAM needs the classifier's weights: the output of layer '{layer}' of '{model}' must be read by a global average pool " +
            $"(GlobalAveragePool or ReduceMean) and then a linear layer (Gemm or MatMul with constant weights) that gives the output, as in ResNet-style " +
            $"classifiers; but {why}. {Hint(graph, output)}Use Grad-CAM, which needs no particular head.";
        string tensor = activation;
        bool pooled = false;
        while (true)
        {
            var readers = graph.Consumers(tensor);
            if (readers.Count != 1)
                throw new NotSupportedException(Fail(readers.Count == 0
                    ? $"tensor '{tensor}' is read by no node"
                    : $"tensor '{tensor}' is read by {readers.Count} nodes ({string.Join(", ", readers.Take(3).Select(n => $"{n.OpType} '{n.Name}'"))})"));
            var node = readers[0];
            if (node.OpType is "Gemm" or "MatMul")
            {
                if (!pooled) throw new NotSupportedException(Fail($"{node} reads it before any global average pool"));
                var weights = LinearWeights(graph, node, tensor) ?? throw new NotSupportedException(Fail($"{node} does not multiply by constant weights"));
                CheckLast(graph, node.Outputs[0], output, Fail);
                return (node, weights);
            }
            if (Pooling.Contains(node.OpType))
            {
                if (pooled) throw new NotSupportedException(Fail($"{node} pools a second time"));
                pooled = true;
            }
            else if (!PassThrough.Contains(node.OpType))
                throw new NotSupportedException(Fail($"{node} comes between the layer and the classifier"));
            tensor = node.Outputs[0];
        }
    }

    private static void CheckLast(Graph graph, string tensor, string output, Func<string, string> fail)
    {
        if (IsLast(graph, tensor, output) is { } why) throw new NotSupportedException(fail(why));
    }

    /// <summary>Null when <paramref name="tensor"/> reaches the output through nothing but softmax or reshapes; else why not.</summary>
    private static string? IsLast(Graph graph, string tensor, string output)
    {
        while (tensor != output)
        {
            var readers = graph.Consumers(tensor);
            if (readers.Count != 1 || !AfterHead.Contains(readers[0].OpType))
                return readers.Count == 1
                    ? $"the linear layer's output goes through {readers[0]} before the output '{output}' (it is not the last layer)"
                    : $"the linear layer's output '{tensor}' is read by {readers.Count} nodes ({string.Join(", ", readers.Take(3).Select(n => $"{n.OpType} '{n.Name}'"))}) before the output '{output}' (it is not the last layer)";
            tensor = readers[0].Outputs[0];
        }
        return null;
    }

    /// <summary>The weights as [classes, channels]: Gemm's B (transposed unless transB = 1), MatMul's B transposed; null when B is not constant or A is transposed.</summary>
    private static Tensor? LinearWeights(Graph graph, Node node, string input)
    {
        if (node.Input(0) != input || node.Input(1) is not { } b) return null;
        if (node.OpType == "Gemm" && node.Attributes.Int("transA", 0) != 0) return null;
        var w = Constant(graph, b);
        if (w is not { Rank: 2 } || w.Floats is null) return null;
        bool classesFirst = node.OpType == "Gemm" && node.Attributes.Int("transB", 0) == 1;
        if (classesFirst) return w;
        int rows = w.Shape[0], cols = w.Shape[1];
        var t = new float[w.Length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = w.F[r * cols + c];
        return Tensor.FromFloats([cols, rows], t);
    }

    private static Tensor? Constant(Graph graph, string name) =>
        graph.Initializers.TryGetValue(name, out var t) ? t
        : graph.Producer(name) is { OpType: "Constant" } c ? c.Attributes.Tensor("value")
        : null;

    /// <summary>Where a global average pool feeding the output's linear layer does read, if anywhere: a hint for the message.</summary>
    private static string Hint(Graph graph, string output)
    {
        var pool = graph.Nodes.LastOrDefault(n => Pooling.Contains(n.OpType) && FeedsLinear(graph, n.Outputs[0], output));
        return pool is null ? "The model has no global average pool that feeds a linear layer. " : $"The model's global average pool {pool} reads tensor '{pool.Inputs[0]}' and feeds the classifier: choose the layer that outputs it. ";
    }

    private static bool FeedsLinear(Graph graph, string tensor, string output)
    {
        while (graph.Consumers(tensor) is [var node])
        {
            if (node.OpType is "Gemm" or "MatMul") return LinearWeights(graph, node, tensor) is not null && IsLast(graph, node.Outputs[0], output) is null;
            if (!PassThrough.Contains(node.OpType)) return false;
            tensor = node.Outputs[0];
        }
        return false;
    }
}
