using FluentAssertions.Execution;

namespace CamAssert.Examples;

/// <summary>
/// The story CamAssert exists for: a retrained model keeps its accuracy but looks at a corner
/// watermark. The same checks that pass on the good model fail on it, and their messages say
/// the attention went to the watermark's corner.
/// </summary>
public class ShortcutModelTests
{
    public static TheoryData<string, string> Watermarked => new()
    {
        { "watermarked_circle.png", "top-left" },
        { "watermarked_square.png", "top-right" },
        { "watermarked_triangle.png", "bottom-left" },
    };

    [Theory]
    [MemberData(nameof(Watermarked))]
    public void The_shortcut_model_fails_the_object_check_and_the_message_names_the_watermark_corner(string image, string corner)
    {
        var act = () => AttentionChecks.EvidenceComesFromTheObject(Shapes.Shortcut, Shapes.Images[image]);
        var message = act.Should().Throw<Exception>().Which.Message;
        message.Should().Contain("the peak is at").And.Contain(corner).And.Contain("shapes_shortcut.onnx").And.Contain("overlay: ");
        string overlay = message[(message.IndexOf("overlay: ", StringComparison.Ordinal) + 9)..].Split([' ', '\n', '\r'])[0].TrimEnd('.');
        File.Exists(overlay).Should().BeTrue("the failure writes the overlay picture it names ({0})", overlay);
    }

    [Theory]
    [MemberData(nameof(Watermarked))]
    public void The_shortcut_model_fails_the_corner_check(string image, string corner)
    {
        var act = () => AttentionChecks.CornersCarryLittleEvidence(Shapes.Shortcut, Shapes.Images[image]);
        act.Should().Throw<Exception>().Which.Message.Should().Contain(corner);
    }

    [Theory]
    [MemberData(nameof(Watermarked))]
    public void The_good_model_passes_the_same_checks_on_the_same_images(string image, string corner)
    {
        _ = corner;
        using var scope = new AssertionScope();
        AttentionChecks.EvidenceComesFromTheObject(Shapes.Model, Shapes.Images[image]);
        AttentionChecks.CornersCarryLittleEvidence(Shapes.Model, Shapes.Images[image]);
    }
}
