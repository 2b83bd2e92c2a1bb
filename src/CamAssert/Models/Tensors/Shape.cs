namespace CamAssert.Models;

/// <summary>One dimension of a static shape: a known size, or a named or anonymous unknown (such as a batch axis).</summary>
public readonly record struct Dim(long Value, string? Symbol = null)
{
    /// <summary>An unknown dimension with no name.</summary>
    public static readonly Dim Unknown = new(-1);

    /// <summary>True when the size is known.</summary>
    public bool IsKnown => Value >= 0;

    /// <summary>A known dimension.</summary>
    public static implicit operator Dim(long value) => new(value);

    /// <inheritdoc/>
    public override string ToString() => IsKnown ? Value.ToString() : Symbol ?? "?";
}

/// <summary>A static tensor shape as far as it is known before running the model.</summary>
public sealed class Shape : IEquatable<Shape>
{
    /// <summary>Creates a shape from its dimensions.</summary>
    public Shape(IReadOnlyList<Dim> dims) => Dims = dims;

    /// <summary>Creates a shape of known sizes.</summary>
    public static Shape Of(params long[] sizes) => new(sizes.Select(s => new Dim(s)).ToArray());

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<Dim> Dims { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Dims.Count;

    /// <summary>The dimension at <paramref name="axis"/>.</summary>
    public Dim this[int axis] => Dims[axis];

    /// <summary>True when every dimension is known.</summary>
    public bool IsFullyKnown => Dims.All(d => d.IsKnown);

    /// <summary>Number of elements, or -1 when a dimension is unknown.</summary>
    public long ElementCount => IsFullyKnown ? Dims.Aggregate(1L, (n, d) => n * d.Value) : -1;

    /// <summary>Known sizes as an array, with -1 for unknown dimensions.</summary>
    public long[] ToArray() => Dims.Select(d => d.Value).ToArray();

    /// <summary>Formats as <c>[1, 2048, 7, 7]</c>; unknown dimensions show their name or <c>?</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", Dims) + "]";

    /// <inheritdoc/>
    public bool Equals(Shape? other) => other is not null && Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode() => Dims.Aggregate(Rank, (h, d) => HashCode.Combine(h, d));
}
