using System.CommandLine;
using CamAssert.Cam;
using CamAssert.Golden;
using CamAssert.Models;
using CamAssert.Suites;
using Spectre.Console;

namespace CamAssert.Cli.Commands;

/// <summary>
/// <c>camassert eval MODEL SET [--images DIR] [--baseline OLD.onnx | --golden DIR [--accept]] [--energy S] [--peak] [--rate R]
/// [--each-class] [--json] [--html report.html]</c>: scores a model's attention over a labelled set (one forward per
/// image for all its targets, images over the cores, a progress bar on stderr), gates drift against a baseline
/// model or the set's golden maps, and exits 1 when a gate fails.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var set = new Argument<string>("set") { Description = "The labelled set: COCO annotations (.json), or a folder of VOC .xml, YOLO .txt + classes.txt, or class-mask .png + classes.txt." };
        var images = new Option<string?>("--images") { Description = "The images folder (default: the format's usual place: images/ beside COCO annotations, JPEGImages/ or images/ beside VOC, images/ beside YOLO labels or masks)." };
        var baseline = new Option<string?>("--baseline") { Description = "The accepted model (.onnx): gate the drift of MODEL's maps from its maps." };
        var golden = new Option<string?>("--golden") { Description = "The set's golden folder (golden/<set>/): gate the drift from the maps accepted there." };
        var accept = new Option<bool>("--accept") { Description = "With --golden: accept MODEL's maps as the set's golden maps (never on a build server)." };
        var energy = new Option<double?>("--energy") { Description = "A target passes when at least this share (0..1) of its map's energy is in the class's boxes." };
        var peak = new Option<bool>("--peak") { Description = "A target passes when its map peaks in a box of the class (pointing game)." };
        var rate = new Option<double?>("--rate") { Description = "Least share (0..1) of targets that must pass (default 0.9 when --energy, --peak or --each-class is given; no attention gate otherwise)." };
        var eachClass = new Option<bool>("--each-class") { Description = "Every class must reach the rate, not only the set." };
        var layer = new Option<string?>("--layer") { Description = "Layer path (default: chosen automatically)." };
        var method = new Option<string>("--method") { Description = "gradcam, hirescam, gradcam++, xgradcam, layercam, scorecam, eigencam.", DefaultValueFactory = _ => "gradcam" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON on stdout (progress stays on stderr)." };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report (per-class table, sortable per-image table, worst pictures, drift histogram)." };
        var command = new Command("eval", "Score a model's attention over a labelled set, and gate its drift from a baseline model or golden maps.")
            { set, images, baseline, golden, accept, energy, peak, rate, eachClass, layer, method, json, html };
        model.AddTo(command);
        command.SetAction(result => CliErrors.Run(() =>
        {
            if (result.GetValue(baseline) is not null && result.GetValue(golden) is not null)
                throw new ArgumentException("Give either --baseline OLD.onnx or --golden DIR, not both.");
            if (result.GetValue(accept) && result.GetValue(golden) is null)
                throw new ArgumentException("--accept accepts a set's golden maps: give the folder with --golden DIR.");
            var candidate = model.Load(result);
            var labelled = LabelledSet.Load(result.GetValue(set)!, result.GetValue(images));
            var criteria = new AttentionCriteria { EnergyInBox = Share(result.GetValue(energy), "--energy"), PeakInBox = result.GetValue(peak) };
            double? gateRate = Share(result.GetValue(rate), "--rate")
                ?? (criteria.EnergyInBox is not null || criteria.PeakInBox || result.GetValue(eachClass) ? 0.9 : null);
            var baseModel = result.GetValue(baseline) is { } b ? CamModel.Load(b, candidate.Labels.Count > 0 ? candidate.Labels : null) : null;
            var goldenSet = result.GetValue(golden) is { } g ? new GoldenSet(g, new GoldenEnvironment(result.GetValue(accept) || BuildServer.AcceptRequested, BuildServer.IsDetected)) : null;

            var evaluation = WithProgress(labelled, options =>
            {
                options = options with { Method = CamMethods.Parse(result.GetValue(method)!), Layer = result.GetValue(layer) is { } l ? new CamAssert.Models.Layers.LayerPath(l) : (CamAssert.Models.Layers.LayerPath?)null };
                var drift = baseModel is not null ? DriftReport.Between(baseModel, candidate, labelled, options)
                    : goldenSet is not null ? DriftReport.AgainstGolden(goldenSet, candidate, labelled, options) : null;
                return new Evaluation(candidate, labelled, drift?.CandidateAttention ?? SetAttention.Measure(candidate, labelled, options), drift, criteria, gateRate, result.GetValue(eachClass), DriftGate.Default, options);
            });

            if (result.GetValue(json)) Console.Out.WriteLine(EvalJson.Write(evaluation));
            else EvalText.Write(evaluation);
            if (result.GetValue(html) is { } htmlPath)
            {
                File.WriteAllText(htmlPath, EvalHtml.Build(evaluation));
                Console.Error.WriteLine($"report: {Path.GetFullPath(htmlPath)}");
            }
            return evaluation.Passed ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar on stderr (images done, images/s, time left).</summary>
    private static Evaluation WithProgress(LabelledSet set, Func<SuiteOptions, Evaluation> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        Evaluation? evaluation = null;
        console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ImagesPerSecondColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{set.Name}: {set.Images.Count} images", maxValue: Math.Max(1, set.Images.Count));
                evaluation = work(SuiteOptions.Default with { Progress = done => task.Value = done });
                task.Value = task.MaxValue;
            });
        return evaluation!;
    }

    private static double? Share(double? value, string option) => value is null or (>= 0 and <= 1) ? value
        : throw new ArgumentException($"{option} is a fraction from 0 to 1, but was {value}. Write 95 % as 0.95.");

    private sealed class ImagesPerSecondColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } s ? $"{s:0.0} images/s" : "");
    }
}

/// <summary>What <c>camassert eval</c> measured and decided.</summary>
internal sealed record Evaluation(CamModel Model, LabelledSet Set, SetAttention Attention, DriftReport? Drift, AttentionCriteria Criteria,
    double? Rate, bool EachClass, DriftGate Gate, SuiteOptions Options)
{
    public bool AttentionPassed => Rate is not { } r || Attention.Meets(Criteria, r, EachClass);

    public IReadOnlyList<string> DriftViolations => Drift?.Violations(Gate) ?? [];

    public bool Passed => AttentionPassed && DriftViolations.Count == 0;
}
