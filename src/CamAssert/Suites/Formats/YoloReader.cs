using System.Globalization;
using CamAssert.Heatmaps;

namespace CamAssert.Suites.Formats;

/// <summary>Reads YOLO labels: <c>class cx cy w h</c> per line, fractions of the image; class indices into classes.txt.</summary>
internal static class YoloReader
{
    public static LabelledSet Read(string directory, string imagesDirectory, string? classesFile, string? name)
    {
        SetFiles.RequireDirectory(directory, "YOLO labels (.txt)");
        classesFile ??= Path.Combine(directory, "classes.txt");
        var classes = SetFiles.ReadClasses(classesFile);
        var images = new List<LabelledImage>();
        foreach (var file in SetFiles.Sorted(directory, "*.txt").Where(f => Path.GetFullPath(f) != Path.GetFullPath(classesFile)))
        {
            var objects = new List<LabelledObject>();
            var lines = File.ReadAllLines(file);
            for (int l = 0; l < lines.Length; l++)
            {
                var parts = lines[l].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0) continue;
                string entry = $"line {l + 1}";
                if (parts.Length != 5 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int c)
                    || !parts.Skip(1).All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                    throw new AnnotationException(file, entry, $"'{lines[l]}' is not 'class cx cy width height' (an index and four fractions of the image). Fix the line.");
                if (c < 0 || c >= classes.Count)
                    throw new AnnotationException(file, entry, $"class index {c} is out of range: {classesFile} lists {classes.Count} classes (0 to {classes.Count - 1}). Fix the index, or add the class.");
                var v = parts.Skip(1).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                const double slack = 1e-4;
                if (v[2] <= 0 || v[3] <= 0 || v[0] - v[2] / 2 < -slack || v[1] - v[3] / 2 < -slack || v[0] + v[2] / 2 > 1 + slack || v[1] + v[3] / 2 > 1 + slack)
                    throw new AnnotationException(file, entry, $"the {classes[c]} box (centre {v[0]}, {v[1]}, size {v[2]}×{v[3]}) {(v[2] <= 0 || v[3] <= 0 ? "has no area" : "reaches past the image (YOLO boxes are fractions of the image, within 0 to 1)")}. Fix the box.");
                objects.Add(new LabelledObject(classes[c], file, entry,
                    size => Clip(ObjectBox.Covering((v[0] - v[2] / 2) * size.Width, (v[1] - v[3] / 2) * size.Height, v[2] * size.Width, v[3] * size.Height), size), null));
            }
            string stem = Path.GetFileNameWithoutExtension(file);
            string path = SetFiles.RequireImageWithStem(imagesDirectory, stem, file);
            images.Add(new LabelledImage(path, Path.GetFileName(path), null, objects, file));
        }
        if (images.Count == 0) throw new AnnotationException(directory, "", "the folder holds no .txt label file. Give the folder of YOLO labels.");
        return new LabelledSet(name ?? SetFiles.DefaultName(directory), directory, classes, images);
    }

    /// <summary>Rounding the fractions may reach one pixel past the edge (within the slack accepted above).</summary>
    private static ObjectBox Clip(ObjectBox b, MapSize size)
    {
        int x0 = Math.Max(0, b.X), y0 = Math.Max(0, b.Y);
        return new ObjectBox(x0, y0, Math.Min(size.Width, b.X + b.Width) - x0, Math.Min(size.Height, b.Y + b.Height) - y0);
    }
}
