using CamAssert.Onnx.Engine;

namespace CamAssert.Tests.Support;

/// <summary>Square sliding windows for kernel tests, with the output size PyTorch gives (floor mode).</summary>
internal static class SquareWindow
{
    public static Window Of(int inH, int inW, int kernel, int stride = 1, int dilation = 1, int padBegin = 0, int padEnd = 0)
    {
        int span = dilation * (kernel - 1) + 1;
        return new Window
        {
            KernelH = kernel, KernelW = kernel, StrideH = stride, StrideW = stride, DilationH = dilation, DilationW = dilation,
            PadTop = padBegin, PadLeft = padBegin, PadBottom = padEnd, PadRight = padEnd, InH = inH, InW = inW,
            OutH = (inH + padBegin + padEnd - span) / stride + 1,
            OutW = (inW + padBegin + padEnd - span) / stride + 1,
        };
    }
}
