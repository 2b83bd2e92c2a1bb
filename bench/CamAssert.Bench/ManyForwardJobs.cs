using System.Diagnostics;
using System.Globalization;
using CamAssert;
using CamAssert.Cam;
using CamAssert.Faithfulness;
using CamAssert.Imaging;
using CamAssert.Models;

/// <summary>
/// The many-forward jobs of bench/compare.py (bench/many_forward.py holds the peers' side), each one
/// JSON line {"ms"} after a Grad-CAM to warm the engine up:
///   method MODEL INPUT.npy LAYER NAME [--samples N] [--window C,H,W] [--stride S]
///       one map by a many-forward method (scorecam, ablationcam, sscam, iscam; occlusion: the input-level
///       attribution with Captum's window and stride, LAYER unused)
///   road MODEL INPUT.npy LAYER P1,P2,...
///       ROADCombined over those percentiles on the Grad-CAM map at LAYER (pytorch-grad-cam's ROADCombined)
/// </summary>
internal static class ManyForwardJobs
{
    public static int Run(string[] args)
    {
        if (args.Length < 5 || args[0] is not ("method" or "road"))
        {
            Console.Error.WriteLine("usage: method MODEL INPUT.npy LAYER NAME [--samples N] [--window C,H,W] [--stride S] | road MODEL INPUT.npy LAYER P1,P2,...");
            return 2;
        }
        var model = CamModel.Load(args[1]);
        var input = Npy.Read(args[2]);
        string layer = args[3];
        var map = model.GradCam(input, Target.Class(0), layer: layer);
        Action job = args[0] == "road" ? Road(model, input, map.Values.ToArray(), args[4]) : Method(model, input, layer, args[4], Options(args[5..]));
        var clock = Stopwatch.StartNew();
        job();
        Console.WriteLine(FormattableString.Invariant($"{{\"ms\": {clock.Elapsed.TotalMilliseconds:F1}}}"));
        return 0;
    }

    private static Action Road(CamModel model, Tensor input, float[] map, string percentiles)
    {
        var ps = percentiles.Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return () => model.RoadCombined(input, map, Target.Class(0), ps);
    }

    private static Action Method(CamModel model, Tensor input, string layer, string name, CamOptions options)
    {
        var method = CamMethods.Parse(name);
        if (method == CamMethod.Occlusion) return () => model.Occlusion(input, Target.Class(0), options.Occlusion);
        return () => model.Cam(input, Target.Class(0), method, layer: layer, options: options);
    }

    /// <summary>--samples N (SS-CAM, IS-CAM), --window C,H,W and --stride S (Occlusion).</summary>
    private static CamOptions Options(string[] flags)
    {
        var options = new CamOptions();
        for (int i = 0; i + 1 < flags.Length; i += 2)
        {
            string value = flags[i + 1];
            options = flags[i] switch
            {
                "--samples" => options with { Samples = int.Parse(value) },
                "--window" => value.Split(',').Select(int.Parse).ToArray() is [var c, var h, var w]
                    ? options with { Occlusion = options.Occlusion with { WindowChannels = c, WindowHeight = h, WindowWidth = w } }
                    : throw new ArgumentException($"--window takes C,H,W, but found '{value}'."),
                "--stride" => options with { Occlusion = options.Occlusion with { StrideX = int.Parse(value), StrideY = int.Parse(value) } },
                var other => throw new ArgumentException($"Unknown option '{other}': use --samples, --window or --stride."),
            };
        }
        return options;
    }
}
