using CamAssert.Onnx.Engine.Kernels;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Engine;

/// <summary>The vectorised max pooling against the definition: the largest input each window covers (NaN wins), pads and ceil-mode overhang ignored.</summary>
public class MaxPoolingTests
{
    public static TheoryData<int, int, int, int, int, int, int, bool> Geometries => new()
    {
        // inH, inW, kernel, stride, dilation, padBegin, padEnd, NaN in the input
        { 112, 112, 3, 2, 1, 1, 1, false },
        { 7, 9, 2, 2, 1, 0, 1, false },
        { 13, 13, 3, 1, 2, 2, 2, true },
        { 5, 21, 3, 3, 1, 1, 2, true },
        { 1, 1, 1, 1, 1, 0, 0, false },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_equals_the_definition(int inH, int inW, int kernel, int stride, int dilation, int padBegin, int padEnd, bool nan)
    {
        const int planes = 3;
        var win = SquareWindow.Of(inH, inW, kernel, stride, dilation, padBegin, padEnd);
        var rnd = new Random(inH * 7 + inW);
        var x = Enumerable.Range(0, planes * inH * inW).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray();
        if (nan) x[inW + 1] = float.NaN;
        var y = new float[planes * win.OutH * win.OutW];

        MaxPooling.Forward(x, y, planes, win);

        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < win.OutH; oy++)
                for (int ox = 0; ox < win.OutW; ox++)
                {
                    float best = float.NegativeInfinity;
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            int iy = oy * stride - padBegin + ky * dilation, ix = ox * stride - padBegin + kx * dilation;
                            if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue;
                            float v = x[(p * inH + iy) * inW + ix];
                            if (float.IsNaN(v) || float.IsNaN(best)) best = float.NaN; else best = Math.Max(best, v);
                        }
                    y[(p * win.OutH + oy) * win.OutW + ox].Should().Be(best, "output ({0}, {1}, {2}) of a {3}×{3} window, stride {4}", p, oy, ox, kernel, stride);
                }
    }
}
