using CamAssert.Heatmaps;
using CamAssert.Suites;

namespace CamAssert.Tests.Suites;

/// <summary>
/// The four annotation formats read the same objects: the fixture script wrote the val set as COCO
/// (compressed RLE), Pascal VOC, YOLO and class masks from one set of drawn shapes, so each reader is
/// checked against the others and the RLE decoder against the mask PNGs.
/// </summary>
public class FormatTests
{
    private static readonly MapSize Size = new(64, 64);
    private static readonly string Images = SuiteFixtures.Dir("val", "images");

    private static Dictionary<string, (string Class, ObjectBox Box)[]> Boxes(LabelledSet set) =>
        set.Images.ToDictionary(i => i.Name, i => i.Objects.Select(o => (o.ClassName, o.BoxIn(Size))).ToArray());

    [Fact]
    public void Coco_reads_images_categories_boxes_and_several_objects_per_image()
    {
        var set = SuiteFixtures.Val;
        set.Name.Should().Be("val");
        set.Classes.Should().Equal("circle", "square", "triangle");
        set.Images.Should().HaveCount(30);
        set.TargetCount.Should().Be(36);
        var pair = set.Images.Single(i => i.Name == "pair_circle_square_1.png");
        pair.Objects.Select(o => o.ClassName).Should().Equal("circle", "square");
        pair.Objects[0].BoxIn(Size).X.Should().Be(2, "the script drew the left object at x 2");
        pair.Objects[1].BoxIn(Size).X.Should().Be(38);
    }

    [Fact]
    public void Voc_and_yolo_read_the_same_boxes_as_coco()
    {
        var coco = Boxes(SuiteFixtures.Val);
        Boxes(LabelledSet.FromVoc(SuiteFixtures.Dir("formats", "voc"), Images)).Should().BeEquivalentTo(coco);
        Boxes(LabelledSet.FromYolo(SuiteFixtures.Dir("formats", "yolo"), Images)).Should().BeEquivalentTo(coco);
    }

    [Fact]
    public void Compressed_rle_outlines_equal_the_class_masks_pixel_for_pixel()
    {
        var coco = SuiteFixtures.Val;
        var masks = LabelledSet.FromMasks(SuiteFixtures.Dir("formats", "masks"), Images).Images.ToDictionary(i => i.Name);
        int compared = 0;
        foreach (var image in coco.Images)
            foreach (var o in image.Objects)
            {
                var fromMask = masks[image.Name].Objects.Single(m => m.ClassName == o.ClassName);
                o.Segmentation!.Rasterize(64, 64).Should().Equal(fromMask.Segmentation!.Rasterize(64, 64), "{0} of {1}", o.ClassName, image.Name);
                fromMask.BoxIn(Size).Should().Be(o.BoxIn(Size), "a class mask's box is its bounds");
                compared++;
            }
        compared.Should().Be(36);
    }

    [Fact]
    public void Polygons_rasterise_at_pixel_centres()
    {
        var set = SuiteFixtures.Cued;
        foreach (var image in set.Images)
        {
            var o = image.Objects.Single();
            var box = o.BoxIn(Size);
            var mask = o.Segmentation!.Rasterize(64, 64);
            int area = mask.Count(v => v);
            if (o.ClassName == "square") mask.Should().Equal(box.ToRegion().Rasterize(64, 64), "a square's polygon is its box");
            else
            {
                double expected = o.ClassName == "circle" ? Math.PI * box.Width * box.Width / 4 : box.Width * box.Height / 2.0;
                area.Should().BeCloseTo((int)expected, (uint)(0.12 * expected), "{0} in {1}", o.ClassName, image.Name);
                Region.Mask(mask, 64, 64).Bounds(64, 64).Should().NotBeNull();
            }
        }
    }

    [Fact]
    public void Uncompressed_rle_counts_run_down_the_columns()
    {
        using var dir = new Support.TempFolder();
        CopyImage(dir, "circle_01.png");
        // 3 pixels of background down column 0, then 2 inside (rows 3, 4 of column 0), then the rest.
        WriteCoco(dir, """{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 3, 1, 2], "segmentation": {"size": [64, 64], "counts": [3, 2, 4091]}}""");
        var mask = LabelledSet.FromCoco(dir.File("annotations.json")).Images[0].Objects[0].Segmentation!.Rasterize(64, 64);
        mask.Count(v => v).Should().Be(2);
        mask[3 * 64].Should().BeTrue();
        mask[4 * 64].Should().BeTrue();
    }

    [Theory]
    [InlineData("voc")]
    [InlineData("yolo")]
    [InlineData("masks")]
    public void Load_tells_the_format_from_the_folder(string format)
    {
        var set = LabelledSet.Load(SuiteFixtures.Dir("formats", format), Images);
        set.Name.Should().Be(format);
        Boxes(set).Should().BeEquivalentTo(Boxes(SuiteFixtures.Val));
    }

    [Fact]
    public void Load_reads_coco_from_the_file_or_its_folder_and_refuses_what_it_cannot_tell()
    {
        LabelledSet.Load(SuiteFixtures.Dir("val", "annotations.json")).Images.Should().HaveCount(30);
        LabelledSet.Load(SuiteFixtures.Dir("val")).Images.Should().HaveCount(30);
        using var empty = new Support.TempFolder();
        var act = () => LabelledSet.Load(empty.Path);
        act.Should().Throw<AnnotationException>().Which.Message.Should().Contain("no annotations.json (COCO), no .xml (Pascal VOC)");
    }

    [Fact]
    public void Coco_images_folder_defaults_to_images_beside_the_file()
    {
        SuiteFixtures.Val.Images[0].Path.Should().Be(Path.Combine(Images, "circle_01.png"));
        File.Exists(SuiteFixtures.Val.Images[0].Path).Should().BeTrue();
    }

    internal static void CopyImage(Support.TempFolder dir, string name) => File.Copy(Path.Combine(Images, name), dir.File(name));

    internal static void WriteCoco(Support.TempFolder dir, string annotation, string image = """{"id": 1, "file_name": "circle_01.png", "width": 64, "height": 64}""") =>
        File.WriteAllText(dir.File("annotations.json"),
            $$"""{"images": [{{image}}], "annotations": [{{annotation}}], "categories": [{"id": 1, "name": "circle"}, {"id": 2, "name": "square"}]}""");
}
