using CamAssert.Models;
namespace CamAssert.Onnx.Engine;

/// <summary>The attributes of a node, with typed getters that fall back to the operator's defaults.</summary>
internal sealed class Attributes
{
    private readonly Dictionary<string, object> _values;

    /// <summary>Creates the attribute set; values are long, float, string, long[], float[] or <see cref="Tensor"/>.</summary>
    public Attributes(Dictionary<string, object> values) => _values = values;

    /// <summary>No attributes.</summary>
    public static Attributes None { get; } = new([]);

    /// <summary>The attribute names present.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>Whether <paramref name="name"/> is set.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>An integer attribute.</summary>
    public long Int(string name, long fallback) => _values.TryGetValue(name, out var v) ? Convert.ToInt64(v) : fallback;

    /// <summary>A float attribute.</summary>
    public float Float(string name, float fallback) => _values.TryGetValue(name, out var v) ? Convert.ToSingle(v) : fallback;

    /// <summary>A string attribute.</summary>
    public string String(string name, string fallback) => _values.TryGetValue(name, out var v) ? (string)v : fallback;

    /// <summary>An integer list attribute, or null when absent.</summary>
    public long[]? Ints(string name) => _values.TryGetValue(name, out var v) ? v as long[] : null;

    /// <summary>A float list attribute, or null when absent.</summary>
    public float[]? Floats(string name) => _values.TryGetValue(name, out var v) ? v as float[] : null;

    /// <summary>A tensor attribute, or null when absent.</summary>
    public Tensor? Tensor(string name) => _values.TryGetValue(name, out var v) ? v as Tensor : null;

    /// <summary>The raw value, or null when absent.</summary>
    public object? this[string name] => _values.GetValueOrDefault(name);
}
