using CamAssert.Heatmaps;
using CamAssert.Suites;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Suites;

/// <summary>Bad annotations are errors that name the file, the entry and what to do.</summary>
public class AnnotationErrorTests
{
    private static AnnotationException Coco(string annotation, string? image = null)
    {
        using var dir = new TempFolder();
        FormatTests.CopyImage(dir, "circle_01.png");
        if (image is null) FormatTests.WriteCoco(dir, annotation); else FormatTests.WriteCoco(dir, annotation, image);
        var act = () => LabelledSet.FromCoco(dir.File("annotations.json"));
        return act.Should().Throw<AnnotationException>().Which;
    }

    [Fact]
    public void Coco_box_outside_the_image_names_file_annotation_and_image()
    {
        var e = Coco("""{"id": 7, "image_id": 1, "category_id": 1, "bbox": [60, 2, 10, 10]}""");
        e.Message.Should().Contain("annotations.json").And.Contain("annotation 7 (image 'circle_01.png')")
            .And.Contain("box (x 60, y 2, 10×10) reaches past the 64×64 image").And.Contain("Fix the bbox");
    }

    [Fact]
    public void Coco_unknown_category_lists_the_categories()
    {
        var e = Coco("""{"id": 3, "image_id": 1, "category_id": 9, "bbox": [1, 2, 10, 10]}""");
        e.Entry.Should().Be("annotation 3 (image 'circle_01.png')");
        e.Problem.Should().Contain("category_id 9 is unknown; the categories are 1 (circle), 2 (square)");
    }

    [Fact]
    public void Coco_missing_image_names_the_image_entry_and_folder()
    {
        var e = Coco("""{"id": 1, "image_id": 2, "category_id": 1, "bbox": [1, 2, 10, 10]}""", """{"id": 2, "file_name": "gone.png", "width": 64, "height": 64}""");
        e.Message.Should().Contain("image 2 ('gone.png')").And.Contain("its image 'gone.png' is not in");
    }

    [Fact]
    public void Coco_rle_that_does_not_cover_the_image_is_an_error()
    {
        var e = Coco("""{"id": 4, "image_id": 1, "category_id": 1, "bbox": [0, 3, 1, 2], "segmentation": {"size": [64, 64], "counts": [3, 2, 10]}}""");
        e.Problem.Should().Contain("the runs cover 15 pixels, but a 64×64 image has 4096");
    }

    [Fact]
    public void Voc_box_outside_the_image_and_unknown_class_name_the_file_and_object()
    {
        using var dir = new TempFolder();
        FormatTests.CopyImage(dir, "circle_01.png");
        File.WriteAllText(dir.File("a.xml"), "<annotation><filename>circle_01.png</filename><size><width>64</width><height>64</height></size>" +
            "<object><name>circle</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax></bndbox></object>" +
            "<object><name>circle</name><bndbox><xmin>50</xmin><ymin>1</ymin><xmax>65</xmax><ymax>10</ymax></bndbox></object></annotation>");
        var outside = () => LabelledSet.FromVoc(dir.Path, dir.Path);
        outside.Should().Throw<AnnotationException>().Which.Message.Should().Contain("a.xml").And.Contain("object 2").And.Contain("xmax ≤ 64");
        var unknown = () => LabelledSet.FromVoc(dir.Path, dir.Path, classes: ["square"]);
        unknown.Should().Throw<AnnotationException>().Which.Message.Should().Contain("object 1").And.Contain("class 'circle' is not one of square");
    }

    [Fact]
    public void Yolo_class_index_out_of_range_and_box_past_the_edge_name_the_line()
    {
        using var dir = new TempFolder();
        FormatTests.CopyImage(dir, "circle_01.png");
        File.WriteAllText(dir.File("classes.txt"), "circle\nsquare\n");
        File.WriteAllText(dir.File("circle_01.txt"), "0 0.5 0.5 0.2 0.2\n5 0.5 0.5 0.2 0.2\n");
        var act = () => LabelledSet.FromYolo(dir.Path, dir.Path);
        act.Should().Throw<AnnotationException>().Which.Message.Should().Contain("circle_01.txt").And.Contain("line 2").And.Contain("class index 5 is out of range");
        File.WriteAllText(dir.File("circle_01.txt"), "0 0.95 0.5 0.2 0.2\n");
        act.Should().Throw<AnnotationException>().Which.Message.Should().Contain("line 1").And.Contain("reaches past the image");
    }

    [Fact]
    public void Yolo_label_without_its_image_is_an_error()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("classes.txt"), "circle\n");
        File.WriteAllText(dir.File("lost.txt"), "0 0.5 0.5 0.2 0.2\n");
        var act = () => LabelledSet.FromYolo(dir.Path, dir.Path);
        act.Should().Throw<AnnotationException>().Which.Message.Should().Contain("lost.txt").And.Contain("there is no image 'lost'");
    }

    [Fact]
    public void Mask_value_without_a_class_is_an_error()
    {
        using var dir = new TempFolder();
        FormatTests.CopyImage(dir, "circle_01.png");
        File.WriteAllText(dir.File("classes.txt"), "circle\n");
        var values = new byte[64 * 64];
        values[100] = 1;
        values[200] = 3;
        CamAssert.Imaging.CamImage.FromGray(64, 64, values).Save(Path.Combine(dir.Path, "circle_01.png.tmp"));
        Directory.CreateDirectory(dir.File("masks"));
        File.Move(Path.Combine(dir.Path, "circle_01.png.tmp"), Path.Combine(dir.File("masks"), "circle_01.png"));
        File.Copy(dir.File("classes.txt"), Path.Combine(dir.File("masks"), "classes.txt"));
        var act = () => LabelledSet.FromMasks(dir.File("masks"), dir.Path);
        act.Should().Throw<AnnotationException>().Which.Message.Should().Contain("circle_01.png").And.Contain("value 3").And.Contain("lists 1 classes");
    }

    [Fact]
    public void An_image_of_another_size_than_declared_is_an_error_when_scored()
    {
        using var dir = new TempFolder();
        FormatTests.CopyImage(dir, "circle_01.png");
        FormatTests.WriteCoco(dir, """{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 10, 10]}""", """{"id": 1, "file_name": "circle_01.png", "width": 80, "height": 64}""");
        var set = LabelledSet.FromCoco(dir.File("annotations.json"));
        var act = () => set.Images[0].Load();
        act.Should().Throw<AnnotationException>().Which.Message.Should().Contain("declare it 80×64 but the file is 64×64");
    }
}
