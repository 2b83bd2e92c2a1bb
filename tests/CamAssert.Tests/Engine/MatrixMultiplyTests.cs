using CamAssert.Onnx.Engine.Kernels;

namespace CamAssert.Tests.Engine;

[Collection(nameof(CamAssert.Tests.Cam.ThreadCountCollection))]
public class MatrixMultiplyTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(4, 16, 16)]
    [InlineData(13, 37, 50)]
    [InlineData(64, 147, 300)]
    public void Matches_a_naive_double_precision_product(int m, int k, int n)
    {
        var rnd = new Random(m * 1000 + k * 10 + n);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var c = new float[m * n];
        MatrixMultiply.Run(a, b, c, m, k, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int t = 0; t < k; t++) expected += (double)a[i * k + t] * b[t * n + j];
                c[i * n + j].Should().BeApproximately((float)expected, 1e-4f * Math.Max(1, k / 16f));
            }
    }

    [Theory]
    [InlineData(5, 3, 9)]
    [InlineData(64, 576, 49)]
    [InlineData(80, 300, 333)]
    public void Packed_rows_give_the_same_bits_as_rows_packed_per_call(int m, int k, int n)
    {
        var rnd = new Random(m + k + n);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var plain = Enumerable.Range(0, m * n).Select(i => i / 7f).ToArray();
        var packed = plain.ToArray();
        MatrixMultiply.Run(a, b, plain, m, k, n, accumulate: true);
        MatrixMultiply.Run(PackedRows.Pack(a, m, k), b, packed, n, accumulate: true);
        packed.Should().Equal(plain, "a {0}×{1} A packed once must give the sums packed per tile give", m, k);
    }

    [Theory]
    [InlineData(7, 5, 40)]
    [InlineData(64, 300, 49)]
    public void Packed_operands_with_a_row_bias_give_the_bits_of_a_bias_filled_product(int m, int k, int n)
    {
        var rnd = new Random(m * k + n);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        var bias = Enumerable.Range(0, m).Select(i => i / 3f - 2).ToArray();
        var expected = Enumerable.Range(0, m * n).Select(i => bias[i / n]).ToArray();
        MatrixMultiply.Run(a, b, expected, m, k, n, accumulate: true);
        // B as the windows of a 1×1 convolution over k channels of a 1×n plane: the input itself.
        var pointwise = CamAssert.Tests.Support.SquareWindow.Of(1, n, kernel: 1);
        using var windows = WindowColumns.Of(b, 0, k, pointwise);
        var c = new float[m * n];
        MatrixMultiply.Run(PackedRows.Pack(a, m, k), windows, c, bias);
        c.Should().Equal(expected, "bias + A·B over packed {0}×{1} and {1}×{2} operands", m, k, n);
    }

    [Theory]
    [InlineData(1, 1000, 1280)]
    [InlineData(3, 7, 9)]
    public void A_few_rows_times_a_matrix_match_a_double_precision_product_for_any_thread_count(int m, int n, int k)
    {
        var rnd = new Random(m + n + k);
        var a = Enumerable.Range(0, m * n).Select(i => i % 5 == 0 ? 0f : (float)rnd.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, n * k).Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray();
        float[] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            try { Parallelism.MaxThreads = threads; var y = new float[m * k]; MatrixVector.RowsTimes(a, b, y, m, n, k); return y; }
            finally { Parallelism.MaxThreads = saved; }
        }
        var one = Run(1);
        Run(2).Should().Equal(one);
        Run(8).Should().Equal(one);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++)
            {
                double expected = 0;
                for (int t = 0; t < n; t++) expected += (double)a[i * n + t] * b[t * k + j];
                one[i * k + j].Should().BeApproximately((float)expected, 1e-4f * Math.Max(1, n / 16f));
            }
    }

    [Fact]
    public void Accumulate_adds_to_the_existing_values()
    {
        float[] a = [1, 2], b = [3, 4], c = [10];
        MatrixMultiply.Run(a, b, c, 1, 2, 1, accumulate: true);
        c[0].Should().Be(21);
    }

    [Fact]
    public void Result_is_bit_identical_for_any_thread_count()
    {
        var rnd = new Random(7);
        int m = 70, k = 300, n = 333;
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rnd.NextDouble()).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rnd.NextDouble()).ToArray();
        float[] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            try
            {
                Parallelism.MaxThreads = threads;
                var c = new float[m * n];
                MatrixMultiply.Run(a, b, c, m, k, n);
                return c;
            }
            finally { Parallelism.MaxThreads = saved; }
        }
        var one = Run(1);
        Run(2).Should().Equal(one);
        Run(8).Should().Equal(one);
    }
}
