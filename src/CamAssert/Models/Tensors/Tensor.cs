namespace CamAssert.Models;

/// <summary>
/// A dense row-major tensor. Floating tensors keep their values in <see cref="Floats"/>,
/// integer and boolean tensors in <see cref="Ints"/>; the other array is null.
/// </summary>
public sealed class Tensor
{
    private Tensor(DataType type, int[] shape, float[]? floats, long[]? ints)
    {
        Type = type;
        Shape = shape;
        Floats = floats;
        Ints = ints;
    }

    /// <summary>The element type.</summary>
    public DataType Type { get; }

    /// <summary>The sizes of each dimension, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The values of a floating tensor; null for integer tensors.</summary>
    public float[]? Floats { get; }

    /// <summary>The values of an integer or boolean tensor; null for floating tensors.</summary>
    public long[]? Ints { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length => Floats?.Length ?? Ints!.Length;

    /// <summary>The float values; throws when the tensor is an integer tensor.</summary>
    public float[] F => Floats ?? throw new InvalidOperationException($"Expected a float tensor of shape {ShapeText(Shape)}, but found {Type.Name()}.");

    /// <summary>The integer values; throws when the tensor is a floating tensor.</summary>
    public long[] I => Ints ?? throw new InvalidOperationException($"Expected an integer tensor of shape {ShapeText(Shape)}, but found {Type.Name()}.");

    /// <summary>A float32 tensor over <paramref name="values"/> (not copied).</summary>
    public static Tensor FromFloats(int[] shape, float[] values)
    {
        CheckLength(shape, values.Length);
        return new Tensor(DataType.Float32, shape, values, null);
    }

    /// <summary>An integer tensor over <paramref name="values"/> (not copied).</summary>
    public static Tensor FromInts(int[] shape, long[] values, DataType type = DataType.Int64)
    {
        CheckLength(shape, values.Length);
        return new Tensor(type, shape, null, values);
    }

    /// <summary>A zero-filled tensor of the given type and shape.</summary>
    public static Tensor Zeros(DataType type, int[] shape)
    {
        long n = ElementCount(shape);
        return type.IsFloat()
            ? new Tensor(DataType.Float32, shape, new float[n], null)
            : new Tensor(type, shape, null, new long[n]);
    }

    /// <summary>A rank-0 float tensor.</summary>
    public static Tensor Scalar(float value) => FromFloats([], [value]);

    /// <summary>This tensor's values under another shape with the same element count (not copied).</summary>
    public Tensor Reshaped(int[] shape) =>
        Floats is not null ? FromFloats(shape, Floats) : FromInts(shape, Ints!, Type);

    /// <summary>Number of elements of a shape, checked against overflow.</summary>
    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Expected non-negative dimensions, but found {ShapeText(shape.ToArray())}.");
            n = checked(n * d);
        }
        return n;
    }

    /// <summary>Formats a shape as <c>[1, 3, 224, 224]</c>.</summary>
    public static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Type.Name()} {ShapeText(Shape)}";

    private static void CheckLength(int[] shape, int length)
    {
        if (ElementCount(shape) != length)
            throw new ArgumentException($"Expected {ElementCount(shape)} values for shape {ShapeText(shape)}, but found {length}.");
    }
}
