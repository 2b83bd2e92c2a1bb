using System.Reflection;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace CamAssert.TorchSharp.Tests.Support;

/// <summary>
/// Writes the table of TorchVision's layer trees the analyzer ships
/// (src/CamAssert.Analyzers/Modules/torchvision_models.txt) from the real modules: each factory of
/// <c>torchvision.models</c> is built and its <c>named_modules()</c> listed, one name a line, indented
/// by depth, in TorchSharp's order. Each factory's header names the parameters that were seen not to
/// change those names (each set to a value other than its default, the module built again and its
/// names compared), so the analyzer checks a call that passes only those.
/// </summary>
internal static class TorchVisionTable
{
    /// <summary>The committed table, in the repository.</summary>
    public static string CommittedPath => Path.Combine(global::CamAssert.Tests.Shared.DotnetCli.Repo(), "src", "CamAssert.Analyzers", "Modules", "torchvision_models.txt");

    /// <summary>
    /// Parameters that only load weights or move them (a file, which layers to skip loading, a device):
    /// they never add, drop or rename a module, and cannot be tried here without a weights file.
    /// </summary>
    private static readonly string[] LoadOnly = ["weights_file", "skipfc", "device"];

    /// <summary>The factories: public static methods of <c>torchvision.models</c> that return a module, by name.</summary>
    public static IReadOnlyList<MethodInfo> Factories() =>
        typeof(torchvision.models).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => typeof(nn.Module).IsAssignableFrom(m.ReturnType) && !m.IsGenericMethodDefinition)
            .OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

    /// <summary><c>named_modules()</c> names (the root left out) of the module <paramref name="factory"/> builds with <paramref name="args"/>.</summary>
    public static List<string> Names(MethodInfo factory, object?[] args)
    {
        using var module = (nn.Module)factory.Invoke(null, args)!;
        return module.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToList();
    }

    /// <summary>The arguments that call <paramref name="factory"/> with its defaults.</summary>
    public static object?[] Defaults(MethodInfo factory) => factory.GetParameters().Select(p => p.DefaultValue is DBNull ? null : p.DefaultValue).ToArray();

    /// <summary>The table's text for <paramref name="factories"/>.</summary>
    public static string Build(IEnumerable<MethodInfo> factories)
    {
        var text = new StringBuilder();
        text.Append("# TorchVision ").Append(typeof(torchvision).Assembly.GetName().Version!.ToString(3)).Append(": named_modules() of each factory of torchvision.models, depth first, indented by depth, each module's children in TorchSharp's order.\n")
            .Append("# @factory, then the parameters seen not to change the names; '=' another factory whose names these are.\n")
            .Append("# Written by CamAssert.TorchSharp.Tests (TorchVisionTableTests) with CAMASSERT_REGENERATE=1; do not edit.\n");
        var written = new List<(string Factory, List<string> Names)>();
        foreach (var factory in factories)
        {
            var names = Names(factory, Defaults(factory));
            text.Append('@').Append(factory.Name);
            foreach (var keep in Keeps(factory, names)) text.Append(' ').Append(keep);
            text.Append('\n');
            if (written.FirstOrDefault(w => w.Names.SequenceEqual(names)) is { Factory: { } same }) { text.Append('=').Append(same).Append('\n'); continue; }
            written.Add((factory.Name, names));
            foreach (var name in InTreeOrder(names))
            {
                int depth = name.Count(c => c == '.');
                text.Append(' ', depth).Append(name.Substring(name.LastIndexOf('.') + 1)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="names"/> depth first (TorchSharp lists a module's children before their
    /// descendants), each module's children in TorchSharp's order, so that indenting by depth says whose child each is.
    /// </summary>
    public static List<string> InTreeOrder(List<string> names)
    {
        var children = names.GroupBy(n => n.Contains('.') ? n[..n.LastIndexOf('.')] : "").ToDictionary(g => g.Key, g => g.ToList());
        var ordered = new List<string>();
        void Visit(string parent)
        {
            foreach (var child in children.GetValueOrDefault(parent) ?? []) { ordered.Add(child); Visit(child); }
        }
        Visit("");
        ordered.Should().HaveCount(names.Count, "every module's parent is a module too");
        return ordered;
    }

    /// <summary>The parameters of <paramref name="factory"/> that leave <paramref name="names"/> as they are: all varied at once first, one by one if that changes anything.</summary>
    private static List<string> Keeps(MethodInfo factory, List<string> names)
    {
        var parameters = factory.GetParameters();
        var varied = parameters.Select((p, i) => (p, i, Value: Other(p))).Where(x => x.Value is not null).ToList();
        var keeps = parameters.Where(p => LoadOnly.Contains(p.Name)).Select(p => p.Name!).ToList();
        if (Same(factory, varied.Select(v => (v.i, v.Value)), names)) keeps.AddRange(varied.Select(v => v.p.Name!));
        else keeps.AddRange(varied.Where(v => Same(factory, [(v.i, v.Value)], names)).Select(v => v.p.Name!));
        return parameters.Select(p => p.Name!).Where(keeps.Contains).ToList();
    }

    private static bool Same(MethodInfo factory, IEnumerable<(int Index, object? Value)> changes, List<string> names)
    {
        var args = Defaults(factory);
        foreach (var (i, value) in changes) args[i] = value;
        try { return Names(factory, args).SequenceEqual(names); }
        catch (TargetInvocationException) { return false; }   // the value is refused (BasicBlock takes no groups): not seen to keep the names
    }

    /// <summary>A value other than the parameter's default, for the kinds of parameter that can be tried; null for the rest (functions, lists, files).</summary>
    private static object? Other(ParameterInfo p)
    {
        if (LoadOnly.Contains(p.Name)) return null;
        object? d = p.DefaultValue;
        var type = p.ParameterType;
        if (type == typeof(bool)) return !(bool)d!;
        if (type == typeof(int)) return (int)d! + 1;
        if (type == typeof(long)) return (long)d! + 1;
        if (type == typeof(float)) return (float)d! == 0 ? 0.1f : (float)d! / 2;
        if (type == typeof(double)) return (double)d! == 0 ? 0.1 : (double)d! / 2;
        if (type == typeof((bool, bool, bool)?)) return (false, true, true);
        return null;
    }
}
