using CamAssert.Onnx.Engine;
using CamAssert.Onnx.Engine.Kernels;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Engine;

/// <summary>
/// A convolution's windows read in place (padded phase copy, or the input itself) must give the
/// bits of the same product over the unfolded (im2col) matrix, for any window and thread count.
/// </summary>
[Collection(nameof(CamAssert.Tests.Cam.ThreadCountCollection))]
public class WindowColumnsTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Windows => new()
    {
        // channels, height, width, kernel, stride, dilation, pad before, pad after
        { 3, 9, 9, 3, 1, 1, 1, 1 },
        { 5, 17, 13, 3, 2, 1, 1, 1 },      // stride 2, odd sizes
        { 3, 23, 23, 7, 2, 1, 3, 3 },      // a ResNet stem
        { 4, 12, 10, 1, 1, 1, 0, 0 },      // pointwise: the input itself
        { 6, 14, 14, 1, 2, 1, 0, 0 },      // a strided 1×1 (ResNet downsample)
        { 2, 15, 16, 3, 1, 2, 2, 2 },      // dilated
        { 3, 11, 8, 3, 3, 1, 0, 2 },       // stride 3, pads only after
        { 2, 6, 40, 5, 1, 1, 0, 0 },       // wide rows, no pads
        { 20, 7, 7, 3, 1, 1, 1, 1 },       // a 7×7 plane: columns across rows and a partial last panel
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void Give_the_bits_of_the_unfolded_product(int channels, int h, int w, int kernel, int stride, int dilation, int padBefore, int padAfter)
    {
        var win = SquareWindow.Of(h, w, kernel, stride, dilation, padBefore, padAfter);
        int rows = 13, depth = channels * kernel * kernel, plane = win.OutH * win.OutW;
        var rnd = new Random(channels * 100 + h * 10 + kernel);
        var input = Enumerable.Range(0, channels * h * w).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var weights = Enumerable.Range(0, rows * depth).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var bias = Enumerable.Range(0, rows).Select(i => i / 5f - 1).ToArray();

        // The definition's matrix: row (channel, ky, kx), column (oy, ox), zero in the pads.
        var unfolded = new float[depth * plane];
        for (int ch = 0; ch < channels; ch++)
            for (int tap = 0; tap < kernel * kernel; tap++)
                Im2Col.Row(input.AsSpan(ch * h * w, h * w), unfolded.AsSpan((ch * kernel * kernel + tap) * plane, plane), tap / kernel, tap % kernel, win);
        var expected = Enumerable.Range(0, rows * plane).Select(i => bias[i / plane]).ToArray();
        MatrixMultiply.Run(weights, unfolded, expected, rows, depth, plane, accumulate: true);

        foreach (int threads in new[] { 1, 2, 8 })
        {
            int saved = Parallelism.MaxThreads;
            try
            {
                Parallelism.MaxThreads = threads;
                var actual = new float[rows * plane];
                using var windows = WindowColumns.Of(input, 0, channels, win);
                windows.Multiply(PackedRows.Pack(weights, rows, depth), actual, bias, clamp: null);
                actual.Should().Equal(expected, "the windows of a {0}×{0} kernel, stride {1}, dilation {2}, pads {3}/{4} over {5}×{6}, read in place on {7} threads",
                    kernel, stride, dilation, padBefore, padAfter, h, w, threads);
            }
            finally { Parallelism.MaxThreads = saved; }
        }
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void Give_each_image_of_a_batch_the_bits_it_gets_alone(int channels, int h, int w, int kernel, int stride, int dilation, int padBefore, int padAfter)
    {
        var win = SquareWindow.Of(h, w, kernel, stride, dilation, padBefore, padAfter);
        const int images = 3, rows = 7;
        int depth = channels * kernel * kernel, plane = win.OutH * win.OutW, image = channels * h * w;
        var rnd = new Random(channels + h + kernel);
        var input = Enumerable.Range(0, images * image).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var weights = PackedRows.Pack(Enumerable.Range(0, rows * depth).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray(), rows, depth);
        var bias = Enumerable.Range(0, rows).Select(i => i / 3f).ToArray();
        var batched = new float[images * rows * plane];
        using (var windows = WindowColumns.Of(input, 0, channels, win, images, imageStride: image))
            windows.Multiply(weights, batched, bias, (0f, 1f), imageStride: rows * plane);
        for (int i = 0; i < images; i++)
        {
            var alone = new float[rows * plane];
            using (var windows = WindowColumns.Of(input, i * image, channels, win))
                windows.Multiply(weights, alone, bias, (0f, 1f));
            batched.AsSpan(i * rows * plane, rows * plane).ToArray().Should().Equal(alone, "image {0} of a batch of {1}, {2}×{2} kernel, stride {3}", i, images, kernel, stride);
        }
    }

    [Fact]
    public void Read_only_their_own_planes_when_they_start_inside_a_larger_tensor()
    {
        // Two images of 3 channels; the second image's windows must not read the first's.
        var win = SquareWindow.Of(5, 5, 1);
        var input = Enumerable.Range(0, 2 * 3 * 25).Select(i => i < 75 ? float.NaN : i % 7 - 3f).ToArray();
        var weights = Enumerable.Range(0, 2 * 3).Select(i => i + 1f).ToArray();
        var actual = new float[2 * 25];
        using (var windows = WindowColumns.Of(input, 75, 3, win))
            windows.Multiply(PackedRows.Pack(weights, 2, 3), actual, default, clamp: null);
        actual.Should().NotContain(float.NaN, "the first image's values are NaN and must not be read");
        actual[0].Should().Be(1 * input[75] + 2 * input[100] + 3 * input[125]);
    }
}
