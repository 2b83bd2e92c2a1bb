using CamAssert.Models;
using CamAssert.Onnx.Engine.Operators;

namespace CamAssert.Onnx.Engine;

/// <summary>The operators the engine runs, by ONNX op_type.</summary>
internal static class OperatorSet
{
    private static readonly Dictionary<string, Operator> Current = Build(13);
    private static readonly Dictionary<string, Operator> Legacy = Build(12);

    private static Dictionary<string, Operator> Build(int opset)
    {
        IEnumerable<Operator> all =
        [
            .. Activation.All(), .. Binary.All(), .. View.All(), .. Reduce.All(),
            new Conv(), new Pool(max: true), new Pool(max: false), new GlobalPool(max: true), new GlobalPool(max: false),
            new Gemm(), new MatMul(), new Transpose(), new Concat(), new Split(), new Slice(), new Gather(),
            new ShapeOf(), new Constant(), new ConstantOfShape(), new Cast(), new Equal(), new Where(), new Expand(),
            new BatchNormalization(), new LayerNormalization(), new Softmax(opset), new Pad(), new Resize(),
        ];
        return all.ToDictionary(o => o.OpType);
    }

    /// <summary>The op_types the engine supports, sorted.</summary>
    public static IReadOnlyList<string> Supported { get; } = Current.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The operator for <paramref name="node"/>, or null when unsupported. Opset-dependent semantics are chosen by <paramref name="opset"/>.</summary>
    public static Operator? Find(Node node, long opset = 13) =>
        node.Domain is "" or "ai.onnx" ? (opset >= 13 ? Current : Legacy).GetValueOrDefault(node.OpType) : null;
}
