namespace CamAssert.Examples;

/// <summary>Where the shapes classifier looks: the suite a team keeps next to its model.</summary>
public class ShapesAttentionTests
{
    private static readonly CamModel Model = Shapes.Model;

    public static TheoryData<string> Objects => new(Shapes.Images.Values.Where(p => p.Boxes.Count == 0 && !p.File.StartsWith("watermarked")).Select(p => p.File));

    [Theory]
    [MemberData(nameof(Objects))]
    public void Evidence_comes_from_the_object(string image) =>
        AttentionChecks.EvidenceComesFromTheObject(Model, Shapes.Images[image]);

    [Theory]
    [MemberData(nameof(Objects))]
    public void Corners_carry_little_evidence(string image) =>
        AttentionChecks.CornersCarryLittleEvidence(Model, Shapes.Images[image]);

    [Fact]
    public void Each_class_points_at_its_own_object_in_a_two_object_image()
    {
        var picture = Shapes.Images["two_objects.png"];
        var image = picture.Load();
        Model.GradCam(image, Target.Class("circle")).Should().PeakIn(AttentionChecks.Grown(picture.Boxes["circle"]), "the circle is on the left");
        Model.GradCam(image, Target.Class("square")).Should().PeakIn(AttentionChecks.Grown(picture.Boxes["square"]), "the square is on the right");
    }

    [Fact]
    public void A_jpeg_photo_of_the_circle_gets_the_same_attention()
    {
        // circle_1.jpg is circle_1.png saved by PIL as JPEG (quality 90): same object, same box.
        var png = Shapes.Images["circle_1.png"];
        var jpeg = png with { File = "circle_1.jpg" };
        jpeg.Load().Provenance!.Format.Should().Be("JPEG");
        AttentionChecks.EvidenceComesFromTheObject(Model, jpeg);
    }

    [Fact]
    public void Backbone_layers_resolve_in_every_notation()
    {
        Model.Should().HaveLayer("backbone.layer3").Which.Should().HaveSpatialOutput().And.HaveOutputShape("[N, 64, 16, 16]");
        Model.Should().HaveLayer("backbone/layer2[-1].conv2");
        Model.Should().HaveClass("triangle");
        Model.Layer("backbone.layer3[0]").Path.Should().Be("backbone.layer3.0");
    }

    [Fact]
    public void Typed_layer_paths_and_classes_come_from_the_build()
    {
        // CamModels.* is generated at build time from the <CamModel> items of this project: a typo is a compile error.
        Model.Should().HaveLayer(CamModels.Shapes.Layers.Backbone.Layer3).Which.Path.Should().Be("backbone.layer3");
        var picture = Shapes.Images["triangle_1.png"];
        Model.GradCam(picture.Load(), Target.Class(CamModels.Shapes.Classes.Triangle), layer: CamModels.Shapes.Layers.Backbone.Layer3._0)
            .Should().PeakIn(AttentionChecks.Grown(picture.Box));
    }

    [Fact]
    public void The_default_layer_is_the_backbone()
    {
        var cam = Model.GradCam(Shapes.Images["circle_1.png"].Load(), Target.Class("circle"));
        cam.Layer.Should().Be("backbone");
        cam.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_feature_channel_of_the_backbone_fires_on_the_object()
    {
        var picture = Shapes.Images["square_1.png"];
        var classCam = Model.GradCam(picture.Load(), Target.Class("square"));
        int channel = classCam.TopChannels(1)[0];
        var featureCam = Model.GradCam(picture.Load(), Target.Channel("backbone", channel), layer: "backbone.layer2");
        featureCam.Should().NotBeDegenerate().And.PeakIn(AttentionChecks.Grown(picture.Box), "channel {0} carries the most evidence for the square", channel);
        classCam.Should().HaveChannelShare(channel).AtLeast(0.05);
    }

    [Theory]
    [InlineData("circle_1.png")]
    [InlineData("square_1.png")]
    [InlineData("triangle_1.png")]
    public void Heatmap_matches_its_golden_file(string image) =>
        Model.GradCam(Shapes.Images[image].Load(), Target.Class(Shapes.Images[image].Label))
            .Should().MatchGolden(parameters: Path.GetFileNameWithoutExtension(image));
}
