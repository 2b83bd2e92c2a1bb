namespace CamAssert.Models;

/// <summary>Element type of a tensor. Floating types compute as float32; integer and boolean types as int64.</summary>
public enum DataType
{
    /// <summary>32-bit float (ONNX FLOAT).</summary>
    Float32 = 1,
    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 2,
    /// <summary>8-bit signed integer.</summary>
    Int8 = 3,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,
    /// <summary>64-bit signed integer, the type of shapes and indices.</summary>
    Int64 = 7,
    /// <summary>Boolean.</summary>
    Bool = 9,
    /// <summary>16-bit float, widened to float32 when read.</summary>
    Float16 = 10,
    /// <summary>64-bit float, narrowed to float32 when read.</summary>
    Float64 = 11,
}

/// <summary>Facts about <see cref="DataType"/> values.</summary>
public static class DataTypes
{
    /// <summary>True for the types stored as <c>float[]</c>.</summary>
    public static bool IsFloat(this DataType type) =>
        type is DataType.Float32 or DataType.Float16 or DataType.Float64;

    /// <summary>Whether <paramref name="onnxCode"/> is a type the engine understands.</summary>
    public static bool IsKnown(int onnxCode) => Enum.IsDefined(typeof(DataType), onnxCode);

    /// <summary>Size in bytes of one element as stored in an ONNX file.</summary>
    public static int ByteSize(this DataType type) => type switch
    {
        DataType.UInt8 or DataType.Int8 or DataType.Bool => 1,
        DataType.Float16 => 2,
        DataType.Float32 or DataType.Int32 => 4,
        _ => 8,
    };

    /// <summary>Lower-case name, as users see it in shapes and messages.</summary>
    public static string Name(this DataType type) => type switch
    {
        DataType.Float32 => "float32",
        DataType.Float16 => "float16",
        DataType.Float64 => "float64",
        DataType.Int64 => "int64",
        DataType.Int32 => "int32",
        DataType.Int8 => "int8",
        DataType.UInt8 => "uint8",
        _ => "bool",
    };
}
