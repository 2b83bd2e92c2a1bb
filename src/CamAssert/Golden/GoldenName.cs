using System.Text;

namespace CamAssert.Golden;

/// <summary>
/// Where a test's golden file lives: <c>{TestClass}.{TestMethod}[_{params}].verified.png</c> in the
/// nearest <c>golden/</c> directory above the test's source file (created beside the test project
/// when there is none). Names are sanitised so they cannot leave that directory.
/// </summary>
public static class GoldenName
{
    /// <summary>The directory name searched for.</summary>
    public const string DirectoryName = "golden";

    /// <summary>The base name (no extension) for a test, e.g. <c>ShapesTests.Circle_is_seen_shape=circle</c>.</summary>
    public static string For(string sourceFile, string method, string? parameters)
    {
        string cls = Path.GetFileNameWithoutExtension(sourceFile);
        string name = $"{cls}.{method}" + (string.IsNullOrEmpty(parameters) ? "" : "_" + parameters);
        return Sanitise(name);
    }

    /// <summary>Replaces characters unsafe in file names (path separators, "..", control and reserved characters) with '_'.</summary>
    public static string Sanitise(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
            sb.Append(char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '=' or ',' or '+' ? c : '_');
        string s = sb.ToString();
        while (s.Contains("..", StringComparison.Ordinal)) s = s.Replace("..", "_.", StringComparison.Ordinal);
        s = s.Trim('.');
        if (s.Length == 0) s = "_";
        return s.Length > 180 ? s[..150] + "_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..16] : s;
    }

    /// <summary>The golden directory for a test source file: the nearest <c>golden/</c> above it, else beside its project.</summary>
    public static string DirectoryFor(string sourceFile)
    {
        var start = Path.GetDirectoryName(Path.GetFullPath(sourceFile))!;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DirectoryName);
            if (Directory.Exists(candidate)) return candidate;
        }
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (dir.Exists && dir.EnumerateFiles("*.csproj").Any()) return Path.Combine(dir.FullName, DirectoryName);
        return Path.Combine(start, DirectoryName);
    }

    /// <summary>Combines <paramref name="directory"/> and a sanitised name, refusing anything that would land outside it.</summary>
    public static string PathIn(string directory, string baseName, string suffix)
    {
        string full = Path.GetFullPath(Path.Combine(directory, Sanitise(baseName) + suffix));
        string root = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new ArgumentException($"The golden name '{baseName}' would leave the golden directory '{directory}'.");
        return full;
    }
}
