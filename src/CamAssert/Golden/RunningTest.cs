using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;

namespace CamAssert.Golden;

/// <summary>
/// The test case running on this async flow, as a test-framework adapter reports it (the
/// <c>CamAssert.Xunit</c> package does, for every xunit test). With it, <c>MatchGolden()</c> in a theory
/// names each row's golden file after the row's arguments, <c>{Class}.{Method}_{name}={value},…</c>,
/// and two rows that would still share a file fail instead of overwriting each other.
/// The core knows no test framework: without an adapter this is empty and theory rows are named by hand.
/// </summary>
public static class RunningTest
{
    private static readonly AsyncLocal<TestCase?> Current = new();
    private static readonly ConcurrentDictionary<string, string> Claims = new(StringComparer.Ordinal);

    /// <summary>One running test case.</summary>
    /// <param name="DisplayName">As the test framework shows it, e.g. <c>Tests.Circle(shape: "circle")</c>.</param>
    /// <param name="Method">The test method's name.</param>
    /// <param name="Arguments">The theory row's arguments by parameter name; null for a fact, or for rows the framework runs together.</param>
    public sealed record TestCase(string DisplayName, string Method, IReadOnlyList<KeyValuePair<string, object?>>? Arguments)
    {
        /// <summary>The golden-name part for the arguments, e.g. <c>shape=circle,size=3</c>; null when there are none.</summary>
        public string? Parameters => Arguments is { Count: > 0 } a ? string.Join(",", a.Select(p => $"{p.Key}={Format(p.Value)}")) : null;
    }

    /// <summary>The test case running now on this async flow, or null when no adapter reported one.</summary>
    public static TestCase? Value => Current.Value;

    /// <summary>Reports that a test case starts on this async flow; dispose the result when it ends.</summary>
    public static IDisposable Enter(string displayName, string method, IReadOnlyList<KeyValuePair<string, object?>>? arguments)
    {
        var previous = Current.Value;
        Current.Value = new TestCase(displayName, method, arguments);
        return new Exit(previous);
    }

    /// <summary>
    /// Records that the running test case writes <paramref name="goldenPath"/>; returns the display name of
    /// another test case that already claimed it in this process, or null when the file is this case's own.
    /// </summary>
    internal static string? Claim(string goldenPath)
    {
        if (Current.Value is not { } test) return null;
        string owner = Claims.GetOrAdd(Path.GetFullPath(goldenPath), test.DisplayName);
        return owner == test.DisplayName ? null : owner;
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    private sealed class Exit(TestCase? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
