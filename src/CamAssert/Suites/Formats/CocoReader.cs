using System.Text.Json;
using CamAssert.Heatmaps;

namespace CamAssert.Suites.Formats;

/// <summary>Reads COCO object annotations: images, categories, boxes, polygon and RLE segmentation.</summary>
internal static class CocoReader
{
    public static LabelledSet Read(string file, string? imagesDirectory, string? name)
    {
        if (!File.Exists(file)) throw new AnnotationException(file, "", "the file does not exist. Give the path of the COCO annotations (.json).");
        imagesDirectory ??= Directory.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "images"))
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "images")
            : Path.GetDirectoryName(Path.GetFullPath(file))!;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(file)); }
        catch (JsonException e) { throw new AnnotationException(file, "", $"it is not valid JSON ({e.Message}). Give a COCO annotations file.", e); }
        using (doc)
        {
            var root = doc.RootElement;
            var categories = new Dictionary<long, string>();
            foreach (var c in Array(root, "categories", file, ""))
                categories[Long(c, "id", file, "a category")] = Str(c, "name", file, $"category {Long(c, "id", file, "a category")}");
            var images = new List<(long Id, string FileName, MapSize Size, List<LabelledObject> Objects)>();
            var byId = new Dictionary<long, int>();
            foreach (var i in Array(root, "images", file, ""))
            {
                long id = Long(i, "id", file, "an image");
                string entry = $"image {id}";
                string fileName = Str(i, "file_name", file, entry);
                var size = new MapSize((int)Long(i, "width", file, entry), (int)Long(i, "height", file, entry));
                if (!byId.TryAdd(id, images.Count)) throw new AnnotationException(file, entry, "the image id is used twice. Give every image its own id.");
                SetFiles.RequireImage(imagesDirectory, fileName, file, $"{entry} ('{fileName}')");
                images.Add((id, fileName, size, new List<LabelledObject>()));
            }
            foreach (var a in Array(root, "annotations", file, ""))
            {
                string entry = a.TryGetProperty("id", out var aid) ? $"annotation {aid}" : "an annotation";
                long imageId = Long(a, "image_id", file, entry);
                if (!byId.TryGetValue(imageId, out int index))
                    throw new AnnotationException(file, entry, $"image_id {imageId} is not among the images. Add the image to \"images\", or remove the annotation.");
                var image = images[index];
                entry += $" (image '{image.FileName}')";
                long category = Long(a, "category_id", file, entry);
                if (!categories.TryGetValue(category, out var className))
                    throw new AnnotationException(file, entry, $"category_id {category} is unknown; the categories are {string.Join(", ", categories.Select(c => $"{c.Key} ({c.Value})"))}. Fix the id, or add the category.");
                var box = Box(a, file, entry);
                if (!box.FitsIn(image.Size))
                    throw new AnnotationException(file, entry, $"the {className} {box} {(box.Width <= 0 || box.Height <= 0 ? "has no area" : "reaches past the " + image.Size + " image")}. Fix the bbox.");
                var segmentation = a.TryGetProperty("segmentation", out var s) ? Outline(s, image.Size, file, entry) : null;
                image.Objects.Add(new LabelledObject(className, file, entry, _ => box, segmentation));
            }
            var set = images.Select(i => new LabelledImage(Path.Combine(imagesDirectory, i.FileName), i.FileName, i.Size, i.Objects, file)).ToArray();
            return new LabelledSet(name ?? SetFiles.DefaultName(file), file, categories.OrderBy(c => c.Key).Select(c => c.Value).ToArray(), set);
        }
    }

    private static ObjectBox Box(JsonElement a, string file, string entry)
    {
        if (!a.TryGetProperty("bbox", out var b) || b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != 4 || b.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            throw new AnnotationException(file, entry, "it has no \"bbox\" of four numbers [x, y, width, height]. Add the box.");
        var v = b.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return ObjectBox.Covering(v[0], v[1], v[2], v[3]);
    }

    private static Region? Outline(JsonElement s, MapSize size, string file, string entry)
    {
        string what = $"{file}, {entry}";
        if (s.ValueKind == JsonValueKind.Array)
        {
            if (s.GetArrayLength() == 0) return null;
            var polygons = new List<double[]>();
            foreach (var p in s.EnumerateArray())
            {
                if (p.ValueKind != JsonValueKind.Array || p.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number) || p.GetArrayLength() < 6 || p.GetArrayLength() % 2 != 0)
                    throw new AnnotationException(file, entry, "a segmentation polygon is not a list of at least three x, y pairs. Fix the polygon.");
                polygons.Add(p.EnumerateArray().Select(v => v.GetDouble()).ToArray());
            }
            return new OutlineRegion($"polygon of {what}", size, () => PolygonMask.Rasterize(polygons, size.Width, size.Height));
        }
        if (s.ValueKind == JsonValueKind.Object)
        {
            if (!s.TryGetProperty("size", out var sz) || sz.GetArrayLength() != 2 || sz[0].GetInt32() != size.Height || sz[1].GetInt32() != size.Width)
                throw new AnnotationException(file, entry, $"the RLE segmentation's \"size\" must be [height, width] of its image, [{size.Height}, {size.Width}]. Fix the size.");
            if (!s.TryGetProperty("counts", out var c)) throw new AnnotationException(file, entry, "the RLE segmentation has no \"counts\". Add the runs.");
            long[] counts;
            try { counts = c.ValueKind == JsonValueKind.String ? CocoRle.Decompress(c.GetString()!) : c.EnumerateArray().Select(v => v.GetInt64()).ToArray(); }
            catch (Exception e) when (e is FormatException or InvalidOperationException) { throw new AnnotationException(file, entry, $"the RLE counts are not readable: {e.Message} Fix the segmentation.", e); }
            try { CocoRle.ToMask(counts, size.Width, size.Height); }
            catch (FormatException e) { throw new AnnotationException(file, entry, $"the RLE segmentation is wrong: {e.Message} Fix the counts.", e); }
            return new OutlineRegion($"RLE of {what}", size, () => CocoRle.ToMask(counts, size.Width, size.Height));
        }
        throw new AnnotationException(file, entry, "the segmentation is neither a list of polygons nor an RLE object. Fix it or remove it.");
    }

    private static IEnumerable<JsonElement> Array(JsonElement root, string property, string file, string entry)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(property, out var a) || a.ValueKind != JsonValueKind.Array)
            throw new AnnotationException(file, entry, $"there is no \"{property}\" list. A COCO file has \"images\", \"annotations\" and \"categories\".");
        return a.EnumerateArray();
    }

    private static long Long(JsonElement e, string property, string file, string entry) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n)
            ? n : throw new AnnotationException(file, entry, $"\"{property}\" is missing or not an integer. Add it.");

    private static string Str(JsonElement e, string property, string file, string entry) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()! : throw new AnnotationException(file, entry, $"\"{property}\" is missing or not a string. Add it.");
}
