using System.Runtime.ExceptionServices;
using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Suites;

/// <summary>
/// Walks a set image by image, several at once, one image's pixels in memory per worker: each
/// result lands at its image's index, so the outcome does not depend on the thread count, and the
/// first failing image (in set order) is the error reported.
/// </summary>
internal static class SetRun
{
    public static T[][] PerImage<T>(LabelledSet set, SuiteOptions options, Func<int, LabelledImage, CamImage, IReadOnlyList<ImageTarget>, T[]> score)
    {
        var results = new T[set.Images.Count][];
        var errors = new Exception?[set.Images.Count];
        int done = 0;
        Parallel.For(0, set.Images.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelImages) }, i =>
        {
            try
            {
                var image = set.Images[i];
                if (image.Objects.Count == 0) results[i] = [];
                else
                {
                    var pixels = image.Load();
                    results[i] = score(i, image, pixels, image.TargetsIn(new MapSize(pixels.Width, pixels.Height)));
                }
            }
            catch (Exception e) { errors[i] = e; }
            options.Progress?.Invoke(Interlocked.Increment(ref done));
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first) ExceptionDispatchInfo.Throw(first);
        return results;
    }

    /// <summary>The model's maps of every target of one image, from one forward run.</summary>
    public static IReadOnlyList<Heatmap> Maps(CamModel model, CamImage pixels, IReadOnlyList<ImageTarget> targets, SuiteOptions options) =>
        model.Cams(pixels, targets.Select(t => Target.Class(t.ClassName)).ToArray(), options.Method, options.Layer, options.Cam);

    /// <summary>One target's image read again, with the target (for pictures after the run).</summary>
    public static (CamImage Pixels, ImageTarget Target) Reload(LabelledSet set, int imageIndex, string className)
    {
        var image = set.Images[imageIndex];
        var pixels = image.Load();
        return (pixels, image.TargetsIn(new MapSize(pixels.Width, pixels.Height)).First(t => t.ClassName == className));
    }

    /// <summary>One target's map made again, with the target (for pictures after the run).</summary>
    public static (Heatmap Map, ImageTarget Target) MapOf(CamModel model, LabelledSet set, int imageIndex, string className, SuiteOptions options)
    {
        var (pixels, target) = Reload(set, imageIndex, className);
        return (Maps(model, pixels, [target], options)[0], target);
    }

    /// <summary>Refuses a set whose classes the model does not name, before any image runs.</summary>
    public static void RequireClasses(CamModel model, LabelledSet set)
    {
        var used = set.Images.SelectMany(i => i.Classes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var unknown = used.Where(c => !model.Labels.Contains(c)).ToArray();
        if (unknown.Length == 0) return;
        throw new CamException(model.Labels.Count == 0
            ? $"Set '{set.Name}' labels its objects by class name ({string.Join(", ", used)}), but model '{model.Name}' has no class names. Put them in a labels file beside the model ('{model.Name}{ModelFiles.LabelsSuffix}', one per line in class-index order) or pass them to CamModel.Load."
            : $"Set '{set.Name}' has objects of class {string.Join(", ", unknown.Select(c => $"'{c}'"))} that model '{model.Name}' does not know; its classes are {string.Join(", ", model.Labels)}. Name the set's classes as the model does (rename the categories), or drop those objects.");
    }
}
