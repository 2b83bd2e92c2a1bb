using CamAssert.Cam;
using CamAssert.Models;
using CamAssert.Onnx.Engine;
using CamAssert.Onnx.Engine.Kernels;
using CamAssert.Tests.Models;

namespace CamAssert.Tests.Cam;

/// <summary>Same model, input and settings: bit-identical heatmaps, whatever the thread count, and from many threads at once.</summary>
[Collection(nameof(ThreadCountCollection))]
public class DeterminismTests
{
    private static Tensor Input(int seed)
    {
        var rnd = new Random(seed);
        return Tensor.FromFloats([1, 3, 64, 64], Enumerable.Range(0, 3 * 64 * 64).Select(_ => (float)rnd.NextDouble()).ToArray());
    }

    [Theory]
    [InlineData(CamMethod.GradCam)]
    [InlineData(CamMethod.GradCamPlusPlus)]
    [InlineData(CamMethod.LayerCam)]
    [InlineData(CamMethod.SmoothGradCamPlusPlus)]
    public void Maps_are_bit_identical_with_1_2_and_8_threads_and_across_runs(CamMethod method)
    {
        var model = FixtureTreeTests.Model("nested_classifier.onnx");
        float[] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            try
            {
                Parallelism.MaxThreads = threads;
                return model.Cam(Input(1), Target.Class(2), method, "backbone.layer3").Values;
            }
            finally { Parallelism.MaxThreads = saved; }
        }
        var one = Run(1);
        Run(2).Should().Equal(one);
        Run(8).Should().Equal(one);
        Run(8).Should().Equal(one, "a repeated run gives the same bits");
    }

    [Fact]
    public void Sixteen_parallel_callers_on_one_model_get_the_sequential_maps()
    {
        var model = FixtureTreeTests.Model("nested_classifier.onnx");
        var sequential = Enumerable.Range(0, 16).Select(i => model.GradCam(Input(i), Target.Class(i % 3)).Values).ToArray();
        var parallel = new float[16][];
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => parallel[i] = model.GradCam(Input(i), Target.Class(i % 3)).Values);
        for (int i = 0; i < 16; i++) parallel[i].Should().Equal(sequential[i], "caller {0} shares the model with 15 others", i);
    }
}

/// <summary>Tests that change <see cref="Parallelism.MaxThreads"/> run one at a time.</summary>
[CollectionDefinition(nameof(ThreadCountCollection), DisableParallelization = true)]
public class ThreadCountCollection;
