using System.CommandLine;
using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Cli.Commands;

/// <summary>
/// <c>camassert cam MODEL INPUT [--labels FILE] [--layer PATH] [--class N|NAME] [--channel K] [--target-mask MASK.png] [--concept C.npy] [--method M] [--npy map.npy]</c>:
/// computes a heatmap, prints the layer used and any warnings, and writes the map.
/// </summary>
internal static class CamCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var input = new Argument<string>("input") { Description = "The image (PNG, JPEG, BMP, GIF, WebP, TIFF, PBM/PGM/PPM or TGA), or a float32 .npy tensor used as the model input as it is." };
        var layer = new Option<string?>("--layer") { Description = "Layer path (default: chosen automatically)." };
        var cls = new Option<string?>("--class") { Description = "Class index or name (default: the top class)." };
        var channel = new Option<int?>("--channel") { Description = "Explain channel K of the model output instead of a class." };
        var targetMask = new Option<string?>("--target-mask") { Description = "Segmentation models: explain --class summed over this mask (a PNG of the output map's size; white inside), as pytorch-grad-cam's SemanticSegmentationTarget." };
        var concept = new Option<string?>("--concept") { Description = "Embedding models: explain the cosine similarity of the output to this embedding (a float32 .npy of the output's length)." };
        var method = new Option<string>("--method") { Description = string.Join(", ", Enum.GetValues<CamMethod>().Select(x => x.Name())) + ".", DefaultValueFactory = _ => "gradcam" };
        var eigenSmooth = new Option<bool>("--eigen-smooth") { Description = "The first principal component of the weighted channels instead of their sum (pytorch-grad-cam's eigen_smooth)." };
        var augSmooth = new Option<bool>("--aug-smooth") { Description = "The mean map over the input mirrored or not × 0.9, 1, 1.1 (pytorch-grad-cam's aug_smooth)." };
        var rectify = new Option<bool>("--rectify-activation") { Description = "ReLU the layer's activation first, as PyTorch hooks see it when an in-place ReLU follows the layer (torchvision DenseNet's features)." };
        var seed = new Option<uint>("--seed") { Description = "Seed of randomcam's weights (numpy's legacy generator), and of sscam's, smoothgradcam++'s and --noise-tunnel's noise (torch.manual_seed).", DefaultValueFactory = _ => 0u };
        var window = new Option<string?>("--occlusion-window") { Description = "Occlusion's window as HEIGHT,WIDTH in pixels, over every channel (default 8,8)." };
        var stride = new Option<string?>("--occlusion-stride") { Description = "Occlusion's strides as Y,X (default 4,4)." };
        var alsoLayer = new Option<string[]>("--also-layer") { Description = "Another layer whose map is fused with --layer's (repeatable).", AllowMultipleArgumentsPerToken = false };
        var fusion = new Option<string>("--fusion") { Description = "How several layers' maps are fused: mean (pytorch-grad-cam) or max (TorchCAM).", DefaultValueFactory = _ => "mean" };
        var npy = new Option<string?>("--npy") { Description = "Write the final map (input resolution, float32) as a .npy file." };
        var outPng = new Option<string?>("--out") { Description = "Write the heatmap over the image as a PNG." };
        var preprocess = new PreprocessOptions();
        var attribution = new AttributionCliOptions();
        var colormap = new Option<string>("--colormap") { Description = "jet, turbo or viridis.", DefaultValueFactory = _ => "jet" };
        var golden = new Option<string?>("--golden") { Description = "Compare the map with this .verified.png golden file; a new or different map is written as .received.png with a diff picture, and the exit code is 1." };
        var command = new Command("cam", "Compute a CAM heatmap and print where the evidence is.") { input, layer, cls, channel, targetMask, concept, method, eigenSmooth, augSmooth, rectify, seed, window, stride, alsoLayer, fusion, npy, outPng, colormap, golden };
        preprocess.AddTo(command);
        attribution.AddTo(command);
        model.AddTo(command);
        command.SetAction(result => CliErrors.Run(() =>
        {
            var m = model.Load(result);
            string inputPath = result.GetValue(input)!;
            var preprocessing = preprocess.Read(result);
            CamImage? image = inputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? null : CamImage.Load(inputPath);
            var x = image is null ? Npy.Read(inputPath) : m.InputFor(image, preprocessing);
            var target = ChooseTarget(m, x, result.GetValue(cls), result.GetValue(channel), result.GetValue(targetMask), result.GetValue(concept));
            var layerPath = result.GetValue(layer) is { } l ? new CamAssert.Models.Layers.LayerPath(l) : (CamAssert.Models.Layers.LayerPath?)null;
            var options = new CamOptions
            {
                Preprocessing = preprocessing,
                EigenSmooth = result.GetValue(eigenSmooth),
                AugSmooth = result.GetValue(augSmooth),
                RectifyActivation = result.GetValue(rectify),
                Seed = result.GetValue(seed),
                Attribution = attribution.Read(result, result.GetValue(seed)),
                Samples = attribution.Samples(result, CamMethods.Parse(result.GetValue(method)!)),
                NoiseStd = attribution.NoiseStd(result),
                Occlusion = OcclusionOf(result.GetValue(window), result.GetValue(stride)),
                AdditionalLayers = (result.GetValue(alsoLayer) ?? []).Select(p => new CamAssert.Models.Layers.LayerPath(p)).ToList(),
                Fusion = result.GetValue(fusion) switch
                {
                    "mean" => LayerFusion.Mean,
                    "max" => LayerFusion.Max,
                    var other => throw new ArgumentException($"--fusion '{other}' is not known: use mean (pytorch-grad-cam's average of the layers' maps) or max (TorchCAM's)."),
                },
            };
            var heatmap = image is null
                ? m.Cam(x, target, CamMethods.Parse(result.GetValue(method)!), layerPath, options)
                : m.Cam(image, target, CamMethods.Parse(result.GetValue(method)!), layerPath, options);
            if (image?.Provenance is { } provenance) Console.Out.WriteLine($"image:  {inputPath} ({provenance})");
            Console.Out.WriteLine($"layer:  {heatmap.Layer} ({heatmap.Source.LayerReason})");
            Console.Out.WriteLine($"target: {heatmap.Target}");
            Console.Out.WriteLine($"method: {heatmap.Method.Name()}");
            foreach (var w in heatmap.Warnings) Console.Out.WriteLine($"warning: {w}");
            if (heatmap.IsDegenerate) Console.Out.WriteLine($"degenerate: {heatmap.DegenerateReason}");
            else
            {
                var (px, py) = Localization.Peaks(heatmap.Values, heatmap.Width)[0];
                var (cx, cy) = Localization.CentreOfMass(heatmap.Values, heatmap.Width);
                Console.Out.WriteLine($"peak:   ({px}, {py}), {Localization.Describe(px, py, heatmap.Width, heatmap.Height)}; centre of mass ({cx:0.0}, {cy:0.0})");
                if (heatmap.ChannelShares.Length > 0)
                    Console.Out.WriteLine($"top channels: {string.Join(", ", heatmap.TopChannels(5).Select(c => $"{c} ({heatmap.ChannelShares[c]:P1})"))}");
            }
            if (result.GetValue(outPng) is { } picture)
            {
                Overlay.Render(heatmap.AtImageSize(), heatmap.ImageWidth, heatmap.ImageHeight, heatmap.Image, ColorMap.Named(result.GetValue(colormap)!))
                    .Save(picture, heatmap.Image?.Provenance is { } p ? new Dictionary<string, string> { [CamAssert.Golden.GoldenFile.Keys.Image] = $"{Path.GetFileName(inputPath)}: {p}" } : null);
                Console.Out.WriteLine($"overlay: {picture}");
            }
            if (result.GetValue(npy) is { } path)
            {
                Npy.Write(path, Tensor.FromFloats([heatmap.Height, heatmap.Width], heatmap.Values));
                Console.Out.WriteLine($"map:    {path}");
            }
            if (result.GetValue(golden) is { } verified)
            {
                if (!verified.EndsWith(CamAssert.Golden.GoldenStore.VerifiedSuffix, StringComparison.Ordinal))
                    throw new ArgumentException($"--golden needs a path ending in {CamAssert.Golden.GoldenStore.VerifiedSuffix}, but was '{verified}'.");
                string dir = Path.GetDirectoryName(Path.GetFullPath(verified))!;
                string name = Path.GetFileName(verified)[..^CamAssert.Golden.GoldenStore.VerifiedSuffix.Length];
                var check = CamAssert.Golden.GoldenStore.Check(heatmap, dir, name);
                Console.Out.WriteLine($"golden: {check.Outcome}: {check.Message}");
                return check.Passed ? 0 : 1;
            }
            return 0;
        }));
        return command;
    }

    private static OcclusionOptions OcclusionOf(string? window, string? stride)
    {
        static (int, int)? Pair(string? text, string option)
        {
            if (text is null) return null;
            var parts = text.Split(',');
            if (parts.Length != 2 || !int.TryParse(parts[0], out int a) || !int.TryParse(parts[1], out int b) || a < 1 || b < 1)
                throw new ArgumentException($"{option} '{text}' is not two positive integers such as 8,8.");
            return (a, b);
        }
        var o = OcclusionOptions.Default;
        if (Pair(window, "--occlusion-window") is var (h, w)) o = o with { WindowHeight = h, WindowWidth = w };
        if (Pair(stride, "--occlusion-stride") is var (y, x)) o = o with { StrideY = y, StrideX = x };
        return o;
    }

    private static Target ChooseTarget(CamModel model, Tensor input, string? cls, int? channel, string? mask, string? concept)
    {
        if (new[] { channel is not null, mask is not null, concept is not null }.Count(given => given) > 1)
            throw new ArgumentException("Give one of --channel, --target-mask (with --class) and --concept.");
        if (concept is not null) return Target.Similarity(Npy.Read(concept).F);
        if (mask is not null)
        {
            if (cls is null) throw new ArgumentException($"--target-mask '{mask}' needs --class: the class (index or name) whose scores are summed over the mask.");
            if (int.TryParse(cls, out int c)) return Target.Segmentation(c, Region.Mask(mask));
            ModelOptions.RequireClassNames(model, cls);
            return Target.Segmentation(cls, Region.Mask(mask));
        }
        if (channel is { } k) return Target.Channel(k);
        if (cls is null) return Target.Class(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(model.Run(input).F));
        if (int.TryParse(cls, out int index)) return Target.Class(index);
        ModelOptions.RequireClassNames(model, cls);
        return Target.Class(cls);
    }
}
