using System.Runtime.CompilerServices;

namespace CamAssert.TorchSharp.Tests.Support;

internal static class NativeInit
{
    /// <summary>Before any torch call of the test run: passive OpenMP waiting (see <see cref="NativeSetup"/>).</summary>
    [ModuleInitializer]
#pragma warning disable CA2255 // a test assembly is application code here: it must run before libtorch loads
    internal static void Initialize() => NativeSetup.Prepare();
#pragma warning restore CA2255
}
