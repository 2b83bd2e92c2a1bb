using System.Diagnostics;
using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>Runs alone: other tests' native allocations would move the process RSS it measures.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public class MemoryCollection;

/// <summary>Native tensors are disposed: CAMs in a row do not grow the process.</summary>
[Collection(nameof(MemoryTests))]
public class MemoryTests
{
    [Fact]
    public void A_thousand_cams_do_not_grow_native_memory()
    {
        var model = TorchFixtures.ResNetish;
        var input = TorchFixtures.Input;
        for (int i = 0; i < 100; i++) model.GradCam(input, Target.Class(i % 5), TorchFixtures.Layer);
        long before = Rss();
        for (int i = 0; i < 1000; i++) model.GradCam(input, Target.Class(i % 5), TorchFixtures.Layer);
        long after = Rss();
        after.Should().BeLessThan((long)(before * 1.05), "1000 CAMs grew the process from {0} MB to {1} MB: tensors are leaking", before >> 20, after >> 20);
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
