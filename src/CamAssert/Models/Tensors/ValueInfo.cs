namespace CamAssert.Models;

/// <summary>What is known statically of one tensor of the graph: its element type and shape (null when the rank is unknown).</summary>
public sealed record ValueInfo(string Name, DataType Type, Shape? Shape);
