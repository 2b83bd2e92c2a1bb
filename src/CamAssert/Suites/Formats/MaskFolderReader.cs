using CamAssert.Heatmaps;
using CamAssert.Imaging;

namespace CamAssert.Suites.Formats;

/// <summary>Reads per-image class masks: 8-bit gray PNGs where value k marks class k of classes.txt (line k), 0 the background, 255 "ignore".</summary>
internal static class MaskFolderReader
{
    public const int Ignore = 255;

    public static LabelledSet Read(string directory, string imagesDirectory, string? classesFile, string? name)
    {
        SetFiles.RequireDirectory(directory, "masks (.png)");
        classesFile ??= Path.Combine(directory, "classes.txt");
        var classes = SetFiles.ReadClasses(classesFile);
        var images = new List<LabelledImage>();
        foreach (var file in SetFiles.Sorted(directory, "*.png"))
        {
            var (values, size) = Values(file);
            var objects = new List<LabelledObject>();
            foreach (int k in values.Where(v => v != 0 && v != Ignore).Distinct().Order())
            {
                if (k > classes.Count)
                    throw new AnnotationException(file, $"value {k}", $"no class has this value: {classesFile} lists {classes.Count} classes (values 1 to {classes.Count}; 0 is the background, 255 ignored). Fix the mask, or add the class.");
                var inside = values.Select(v => v == k).ToArray();
                var bounds = Region.Mask(inside, size.Width, size.Height).Bounds(size.Width, size.Height)!.Value;
                var box = new ObjectBox(bounds.X, bounds.Y, bounds.Width, bounds.Height);
                int value = k;
                var outline = new OutlineRegion($"value {k} of {file}", size, () => Values(file).Values.Select(v => v == value).ToArray());
                objects.Add(new LabelledObject(classes[k - 1], file, $"value {k}", _ => box, outline));
            }
            string path = SetFiles.RequireImageWithStem(imagesDirectory, Path.GetFileNameWithoutExtension(file), file);
            images.Add(new LabelledImage(path, Path.GetFileName(path), size, objects, file));
        }
        if (images.Count == 0) throw new AnnotationException(directory, "", "the folder holds no .png mask. Give the folder of per-image class masks.");
        return new LabelledSet(name ?? SetFiles.DefaultName(directory), directory, classes, images);
    }

    private static (int[] Values, MapSize Size) Values(string file)
    {
        var mask = CamImage.Load(file);
        if (mask.Channels is not (1 or 2) || mask.BitDepth != 8)
            throw new AnnotationException(file, "", $"a class mask must be an 8-bit gray PNG (value k marks class k), but this one has {mask.Channels} channels at {mask.BitDepth} bits. Save it as 8-bit grayscale.");
        var values = new int[mask.Width * mask.Height];
        for (int i = 0; i < values.Length; i++) values[i] = (int)Math.Round(mask.Pixels[i * mask.Channels] * 255);
        return (values, new MapSize(mask.Width, mask.Height));
    }
}
