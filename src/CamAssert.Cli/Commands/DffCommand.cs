using System.CommandLine;
using CamAssert.Cam.Factorization;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Cli.Commands;

/// <summary>
/// <c>camassert dff MODEL INPUT [--layer PATH] [--components K] [--npy maps.npy] [--out concepts.png]</c>: Deep Feature
/// Factorization (pytorch-grad-cam's DeepFeatureFactorization) of a layer into K concepts; prints where each concept
/// lies and its colour, writes the concept maps (images × K × H × W, float32) and the picture of the first image's
/// concepts (pytorch-grad-cam's show_factorization_on_image).
/// </summary>
internal static class DffCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var input = new Argument<string>("input") { Description = "The image, or a float32 .npy tensor used as the model input as it is (its whole batch is factorised together)." };
        var layer = new Option<string?>("--layer") { Description = "Layer path (default: chosen automatically, as for CAMs)." };
        var components = new Option<int>("--components") { Description = "Number of concepts (pytorch-grad-cam's n_components; its dff() default 5).", DefaultValueFactory = _ => 5 };
        var npy = new Option<string?>("--npy") { Description = "Write the concept maps (images × components × H × W at input size, float32) as a .npy file." };
        var outPng = new Option<string?>("--out") { Description = "Write the picture of the concepts: each pixel in its strongest concept's colour, over the image (pytorch-grad-cam's show_factorization_on_image)." };
        var preprocess = new PreprocessOptions();
        var command = new Command("dff", "Deep Feature Factorization: split a layer's activations into concepts (NMF) and print where each lies.") { input, layer, components, npy, outPng };
        preprocess.AddTo(command);
        model.AddTo(command);
        command.SetAction(result => CliErrors.Run(() =>
        {
            var m = model.Load(result);
            string inputPath = result.GetValue(input)!;
            var image = inputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? null : CamImage.Load(inputPath);
            var x = image is null ? Npy.Read(inputPath) : m.InputFor(image, preprocess.Read(result));
            var layerPath = result.GetValue(layer) is { } l ? new CamAssert.Models.Layers.LayerPath(l) : (CamAssert.Models.Layers.LayerPath?)null;
            var dff = m.FactorizeFeatures(x, result.GetValue(components), layerPath);
            Console.Out.WriteLine($"layer:  {dff.Layer}");
            Console.Out.WriteLine($"concepts: {dff.Components} of {dff.Channels} channels; NMF iterations {dff.Iterations}");
            var colours = ConceptOverlay.Colors(dff.Components);
            for (int b = 0; b < dff.Maps.Length; b++)
            {
                var owner = dff.ConceptPerPixel(b);
                for (int j = 0; j < dff.Components; j++)
                {
                    var (px, py) = Localization.Peaks(dff.Maps[b][j], dff.Width)[0];
                    double share = owner.Count(o => o == j) / (double)owner.Length;
                    string top = dff.Scores is null ? "" : $"; scores highest for {Label(m, dff.TopClass(j))}";
                    Console.Out.WriteLine($"image {b} concept {j} ({Hex(colours[j])}): strongest on {share:P1} of the pixels; peak ({px}, {py}), {Localization.Describe(px, py, dff.Width, dff.Height)}{top}");
                }
            }
            if (dff.ScoresUnavailable is { } why) Console.Out.WriteLine($"scores: none ({why})");
            if (result.GetValue(npy) is { } path)
            {
                var all = dff.Maps.SelectMany(b => b.SelectMany(f => f)).ToArray();
                Npy.Write(path, Tensor.FromFloats([dff.Maps.Length, dff.Components, dff.Height, dff.Width], all));
                Console.Out.WriteLine($"maps:   {path}");
            }
            if (result.GetValue(outPng) is { } picture)
            {
                // Over the image the model saw, at the maps' size (the input's); with a tensor input, the colours alone.
                ConceptOverlay.Render(dff, image).Save(picture);
                Console.Out.WriteLine($"picture: {picture}{(dff.Maps.Length > 1 ? " (image 0)" : "")}");
            }
            return 0;
        }));
        return command;
    }

    private static string Hex((float R, float G, float B) c) => $"#{(int)(c.R * 255):X2}{(int)(c.G * 255):X2}{(int)(c.B * 255):X2}";

    private static string Label(CamModel model, int index) => index < model.Labels.Count ? $"class {index} ({model.Labels[index]})" : $"class {index}";
}
