using CamAssert.Onnx.Engine.Kernels;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Engine;

/// <summary>
/// The vectorised depthwise convolution against the definition (each output the bias plus the
/// window's products in row, then column order), over strides, dilations, uneven pads, channel
/// multipliers and widths that do and do not fill whole vectors.
/// </summary>
public class DepthwiseTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        // inH, inW, kernel, stride, dilation, padLeft, padRight, multiplier
        { 7, 7, 3, 1, 1, 1, 1, 1 },
        { 12, 12, 3, 2, 1, 1, 1, 1 },
        { 13, 19, 3, 2, 1, 0, 1, 2 },
        { 9, 17, 5, 1, 2, 4, 4, 1 },
        { 5, 1, 3, 1, 1, 1, 1, 1 },
        { 11, 23, 3, 3, 1, 2, 0, 1 },
        { 8, 8, 1, 1, 1, 0, 0, 3 },
        { 6, 33, 7, 2, 1, 3, 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_equals_the_definition_bit_for_bit(int inH, int inW, int kernel, int stride, int dilation, int padLeft, int padRight, int multiplier)
    {
        const int batch = 2, channels = 3;
        var win = SquareWindow.Of(inH, inW, kernel, stride, dilation, padLeft, padRight);
        var rnd = new Random(inH * 31 + inW);
        var x = Enumerable.Range(0, batch * channels * inH * inW).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray();
        int m = channels * multiplier;
        var w = Enumerable.Range(0, m * kernel * kernel).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray();
        var bias = Enumerable.Range(0, m).Select(o => (float)o / 7).ToArray();
        int plane = win.OutH * win.OutW;
        var y = Enumerable.Repeat(float.NaN, batch * m * plane).ToArray();

        Depthwise.Forward(x, w, bias, y, batch, channels, multiplier, win);

        for (int b = 0; b < batch; b++)
            for (int o = 0; o < m; o++)
                for (int oy = 0; oy < win.OutH; oy++)
                    for (int ox = 0; ox < win.OutW; ox++)
                    {
                        float sum = bias[o];
                        for (int ky = 0; ky < kernel; ky++)
                            for (int kx = 0; kx < kernel; kx++)
                            {
                                int iy = oy * stride - padLeft + ky * dilation, ix = ox * stride - padLeft + kx * dilation;
                                if (iy >= 0 && iy < inH && ix >= 0 && ix < inW)
                                    sum += x[((b * channels + o / multiplier) * inH + iy) * inW + ix] * w[(o * kernel + ky) * kernel + kx];
                            }
                        y[((b * m + o) * win.OutH + oy) * win.OutW + ox].Should().Be(sum, "output ({0}, {1}, {2}, {3}) of a {4}×{4} window, stride {5}", b, o, oy, ox, kernel, stride);
                    }
    }
}
