using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CamAssert.TorchSharp;

/// <summary>
/// Native settings libtorch reads once, when it loads. OpenMP threads that spin while waiting
/// make every forward many times slower when another process shares the cores, so CamAssert
/// asks for passive waiting (<c>OMP_WAIT_POLICY=PASSIVE</c>) unless the user set a policy.
/// .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach native
/// code, so this goes through libc's <c>setenv</c>. It takes effect only before the first torch
/// call of the process: call <see cref="Prepare"/> first thing (a test assembly's module
/// initializer, say), or touch any CamAssert.TorchSharp type before creating a module.
/// </summary>
public static class NativeSetup
{
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

#pragma warning disable CA2255 // runs before this library's first torch call, which is what libtorch needs
    [ModuleInitializer]
    internal static void Initialize() => Prepare();
#pragma warning restore CA2255

    /// <summary>Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the native environment unless it is set already; idempotent.</summary>
    public static void Prepare()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { Length: > 0 }) return;
        try { SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0); }
        catch (DllNotFoundException) { } // no libc by that name: leave libtorch's default
        catch (EntryPointNotFoundException) { }
    }
}
