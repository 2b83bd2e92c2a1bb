using System.Globalization;

namespace CamAssert.Suites;

/// <summary>
/// When one target's attention counts as on the object: energy in the boxes, energy in the outlines,
/// peak in a box; all given criteria must hold, and a degenerate map never passes. With no criterion,
/// the pointing game (peak in a box) decides.
/// </summary>
public sealed record AttentionCriteria
{
    /// <summary>Least share of the energy in the class's boxes, or null.</summary>
    public double? EnergyInBox { get; init; }

    /// <summary>Least share of the energy in the objects' outlines (boxes where there is none), or null.</summary>
    public double? EnergyInObject { get; init; }

    /// <summary>Whether the map must peak in a box.</summary>
    public bool PeakInBox { get; init; }

    private bool None => EnergyInBox is null && EnergyInObject is null && !PeakInBox;

    /// <summary>Whether <paramref name="t"/> passes.</summary>
    public bool Passes(TargetAttention t) =>
        t.DegenerateReason is null
        && (EnergyInBox is not { } e || t.EnergyInBox >= e)
        && (EnergyInObject is not { } o || t.EnergyInObject >= o)
        && (!(PeakInBox || None) || t.PeakInBox);

    /// <summary>"energy in box ≥ 50% and peak in box".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (EnergyInBox is { } e) parts.Add($"energy in box ≥ {Percent(e)}");
        if (EnergyInObject is { } o) parts.Add($"energy in object ≥ {Percent(o)}");
        if (PeakInBox || None) parts.Add("peak in box");
        return string.Join(" and ", parts);
    }

    private static string Percent(double v) => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
