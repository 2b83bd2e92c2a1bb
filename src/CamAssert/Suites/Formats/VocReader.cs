using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using CamAssert.Heatmaps;

namespace CamAssert.Suites.Formats;

/// <summary>Reads Pascal VOC XML: one file per image, boxes in 1-based inclusive pixel coordinates (xmin = 1 is the first column).</summary>
internal static class VocReader
{
    public static LabelledSet Read(string directory, string imagesDirectory, IReadOnlyList<string>? classes, string? name)
    {
        SetFiles.RequireDirectory(directory, "VOC annotations (.xml)");
        var images = new List<LabelledImage>();
        var seen = new List<string>();
        foreach (var file in SetFiles.Sorted(directory, "*.xml"))
        {
            XDocument doc;
            try { doc = XDocument.Load(file); }
            catch (XmlException e) { throw new AnnotationException(file, "", $"it is not valid XML ({e.Message}). Give a Pascal VOC annotation.", e); }
            var root = doc.Root!;
            string fileName = root.Element("filename")?.Value.Trim() is { Length: > 0 } f ? f : throw new AnnotationException(file, "", "there is no <filename>. Add the image's file name.");
            var sizeElement = root.Element("size");
            MapSize? size = sizeElement is null ? null : new MapSize(Int(sizeElement, "width", file, "<size>"), Int(sizeElement, "height", file, "<size>"));
            var objects = new List<LabelledObject>();
            int k = 0;
            foreach (var o in root.Elements("object"))
            {
                string entry = $"object {++k}";
                string className = o.Element("name")?.Value.Trim() is { Length: > 0 } n ? n : throw new AnnotationException(file, entry, "it has no <name>. Add the class name.");
                if (classes is not null && !classes.Contains(className))
                    throw new AnnotationException(file, entry, $"class '{className}' is not one of {string.Join(", ", classes)}. Fix the name, or add the class.");
                var b = o.Element("bndbox") ?? throw new AnnotationException(file, entry, "it has no <bndbox>. Add the box.");
                int x0 = Int(b, "xmin", file, entry), y0 = Int(b, "ymin", file, entry), x1 = Int(b, "xmax", file, entry), y1 = Int(b, "ymax", file, entry);
                var box = new ObjectBox(x0 - 1, y0 - 1, x1 - x0 + 1, y1 - y0 + 1);
                if (size is { } s && !box.FitsIn(s))
                    throw new AnnotationException(file, entry, $"the {className} box (xmin {x0}, ymin {y0}, xmax {x1}, ymax {y1}) {(box.Width <= 0 || box.Height <= 0 ? "has no area" : $"reaches past the {s} image (VOC counts from 1: xmax ≤ {s.Width}, ymax ≤ {s.Height})")}. Fix the box.");
                if (!seen.Contains(className)) seen.Add(className);
                objects.Add(new LabelledObject(className, file, entry, _ => box, null));
            }
            string path = SetFiles.RequireImage(imagesDirectory, fileName, file, $"<filename> '{fileName}'");
            images.Add(new LabelledImage(path, fileName, size, objects, file));
        }
        if (images.Count == 0) throw new AnnotationException(directory, "", "the folder holds no .xml annotation. Give the folder of VOC annotations (Annotations/).");
        return new LabelledSet(name ?? SetFiles.DefaultName(directory), directory, classes ?? seen.Order(StringComparer.Ordinal).ToArray(), images);
    }

    private static int Int(XElement parent, string child, string file, string entry)
    {
        string? text = parent.Element(child)?.Value.Trim();
        // VOC writers disagree on integers: some write "48.0"; a whole number is accepted either way.
        if (text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v == Math.Floor(v)) return (int)v;
        throw new AnnotationException(file, entry, $"<{child}> is {(text is null ? "missing" : $"'{text}', not a whole number")}. Give whole pixel coordinates.");
    }
}
