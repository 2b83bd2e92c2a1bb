using System.Runtime.InteropServices;

namespace CamAssert.TorchSharp.Tests;

/// <summary>The OpenMP wait policy reaches the native environment libtorch reads (not only .NET's copy).</summary>
public class NativeSetupTests
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv(string name);

    [Fact]
    public void The_wait_policy_is_in_the_native_environment()
    {
        NativeSetup.Prepare();
        string? native = Marshal.PtrToStringAnsi(GetEnv("OMP_WAIT_POLICY"));
        string? managed = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        native.Should().Be(managed is { Length: > 0 } ? managed : "PASSIVE", "libtorch's OpenMP reads libc's environment, where a policy the user set is kept");
    }
}
