using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Onnx.Engine.Kernels;
using CamAssert.Golden;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Golden;

/// <summary>
/// The default golden tolerance on the trained shapes model: the same map across thread counts
/// passes; a map whose peak moved to the other object of the image fails. Also: CamAssert's
/// Grad-CAM of every shapes image, from the PNG, equals PyTorch's (tools/train_shapes.py).
/// </summary>
[Collection(nameof(CamAssert.Tests.Cam.ThreadCountCollection))]
public class ToleranceOnShapesTests
{
    private static readonly CamModel Model = CamModel.Load(Fixtures.Path_("shapes", "shapes.onnx"));
    private static readonly CamModel Shortcut = CamModel.Load(Fixtures.Path_("shapes", "shapes_shortcut.onnx"));

    private static CamImage Image(string file) => CamImage.Load(Fixtures.Path_("shapes", "images", file));

    [Fact]
    public void Same_model_across_thread_counts_passes_the_default_tolerance()
    {
        var image = Image("two_objects.png");
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Model.GradCam(image, Target.Class("circle"));
            Parallelism.MaxThreads = 8;
            var eight = Model.GradCam(image, Target.Class("circle"));
            var c = HeatmapComparison.Of(one.Values, eight.Values);
            GoldenTolerance.Default.Violations(c).Should().BeEmpty();
            c.MaxAbsDifference.Should().Be(0, "maps are bit-identical whatever the thread count");
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void A_peak_moved_to_the_other_object_fails_the_default_tolerance()
    {
        var image = Image("two_objects.png");
        var circle = Model.GradCam(image, Target.Class("circle"));
        var square = Model.GradCam(image, Target.Class("square"));
        var c = HeatmapComparison.Of(circle.Values, square.Values);
        GoldenTolerance.Default.Violations(c).Should().HaveCountGreaterThanOrEqualTo(2, "max |Δ| {0:0.###}, Pearson {1:0.###}, top-20% IoU {2:0.###}", c.MaxAbsDifference, c.Pearson, c.TopIoU);
    }

    [Fact]
    public void A_retrained_model_that_looks_elsewhere_fails_the_default_tolerance()
    {
        var image = Image("watermarked_square.png");
        var c = HeatmapComparison.Of(Model.GradCam(image, Target.Class("square")).Values, Shortcut.GradCam(image, Target.Class("square")).Values);
        GoldenTolerance.Default.Violations(c).Should().NotBeEmpty();
    }

    public static TheoryData<string, string> Images()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("shapes", "images", "images.json")));
        var data = new TheoryData<string, string>();
        foreach (var e in doc.RootElement.EnumerateArray())
            foreach (var tag in new[] { "", ".shortcut" })
                data.Add(e.GetProperty("file").GetString()!, tag);
        return data;
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void GradCam_from_the_png_equals_pytorchs(string file, string tag)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("shapes", "images", "images.json")));
        string label = doc.RootElement.EnumerateArray().First(e => e.GetProperty("file").GetString() == file).GetProperty("label").GetString()!;
        var model = tag.Length == 0 ? Model : Shortcut;
        var map = model.GradCam(Image(file), Target.Class(label));
        var expected = Npy.Read(Fixtures.Path_("shapes", "images", file + tag + ".gradcam.npy")).F;
        map.Values.Zip(expected, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1e-4f);
        var logits = Npy.Read(Fixtures.Path_("shapes", "images", file + tag + ".logits.npy")).F;
        model.Run(model.InputFor(Image(file))).F.Zip(logits, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(1e-4f);
    }
}
