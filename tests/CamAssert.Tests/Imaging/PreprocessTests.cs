using CamAssert.Imaging;

namespace CamAssert.Tests.Imaging;

/// <summary>Resizing (half-pixel bilinear, hand-computed values) and tensor layout, mean/std, BGR, scale.</summary>
public class PreprocessTests
{
    [Fact]
    public void Upscale_2x2_to_4x4_uses_half_pixel_centres_clamped_at_edges()
    {
        // Output x = 0..3 samples source x = (x + 0.5)/2 − 0.5 = −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1):
        // a row [a, b] becomes [a, .75a + .25b, .25a + .75b, b]; rows likewise.
        var r = Resample.Bilinear([0f, 4f, 8f, 12f], 2, 2, 4, 4);
        r.Should().Equal(
            0f, 1f, 3f, 4f,
            2f, 3f, 5f, 6f,
            6f, 7f, 9f, 10f,
            8f, 9f, 11f, 12f);
    }

    [Fact]
    public void Downscale_by_two_averages_neighbour_pairs()
    {
        // Source x = (x + 0.5)·2 − 0.5 = 0.5, 2.5: halfway between pixels 0,1 and 2,3 (no antialiasing, as OpenCV and torch).
        Resample.Bilinear([0f, 10f, 20f, 30f], 1, 4, 1, 2).Should().Equal(5f, 25f);
    }

    [Fact]
    public void Non_integer_ratio()
    {
        // 3 → 2: scale 1.5, source x = 0.25 and 1.75: [0, 4, 8] → [1, 7].
        Resample.Bilinear([0f, 4f, 8f], 1, 3, 1, 2).Should().Equal(1f, 7f);
    }

    [Fact]
    public void Align_corners_maps_corners_onto_corners()
    {
        Resample.Bilinear([0f, 3f], 1, 2, 1, 4, alignCorners: true).Should().Equal(0f, 1f, 2f, 3f);
    }

    [Fact]
    public void Resize_treats_each_channel_alone_and_keeps_same_sized_images()
    {
        var image = CamImage.FromRgb(2, 1, [0f, 1f, 0.5f, 1f, 0f, 0.5f]);
        var r = Resample.Image(image, 4, 1);
        r.Pixels.Should().Equal(0f, 1f, 0.5f, 0.25f, 0.75f, 0.5f, 0.75f, 0.25f, 0.5f, 1f, 0f, 0.5f);
        Resample.Image(image, 2, 1).Should().BeSameAs(image);
        var act = () => Resample.Image(image, 0, 3);
        act.Should().Throw<ArgumentException>().WithMessage("*to 0×3*at least 1×1*");
    }

    [Fact]
    public void Nchw_with_mean_and_std()
    {
        var img = CamImage.FromRgb(2, 1, [0.5f, 0.25f, 1f, 0f, 0f, 0f]);
        var (values, shape) = new Preprocessing { Mean = [0.5f, 0, 0], Std = [0.5f, 1, 1] }.ToArray(img, 2, 1);
        shape.Should().Equal(1, 3, 1, 2);
        values.Should().Equal(0f, -1f, 0.25f, 0f, 1f, 0f);
    }

    [Fact]
    public void Nhwc_in_bgr_order()
    {
        var img = CamImage.FromRgb(2, 1, [0.5f, 0.25f, 1f, 0f, 0.1f, 0.2f]);
        var (values, shape) = new Preprocessing { Bgr = true }.ToArray(img, 2, 1, TensorLayout.Nhwc);
        shape.Should().Equal(1, 1, 2, 3);
        values.Should().Equal(1f, 0.25f, 0.5f, 0.2f, 0.1f, 0f);
    }

    [Fact]
    public void Scale_then_one_mean_for_all_channels()
    {
        // Keras "caffe"-style: 0..255 inputs minus a mean.
        var img = CamImage.FromGray(1, 1, [1f]);
        var (values, _) = new Preprocessing { Scale = 255f, Mean = [100f] }.ToArray(img, 1, 1);
        values.Should().Equal(155f, 155f, 155f);
    }

    [Fact]
    public void Resizes_to_the_requested_input_size()
    {
        var img = CamImage.FromRgb(2, 2, (x, y) => (x, y, 0f));
        var (values, shape) = Preprocessing.Default.ToArray(img, 4, 4);
        shape.Should().Equal(1, 3, 4, 4);
        values[..4].Should().Equal(0f, 0.25f, 0.75f, 1f);
    }

    [Fact]
    public void The_tensor_forms_agree()
    {
        var img = CamImage.FromRgb(3, 2, (x, y) => (x / 3f, y / 2f, 0.5f));
        var options = Preprocessing.ImageNet with { Bgr = true };
        var (values, shape) = options.ToArray(img, 5, 4, TensorLayout.Nhwc);
        var tensor = options.ToTensor(img, 5, 4, channelsLast: true);
        tensor.Shape.Should().Equal(shape);
        tensor.F.Should().Equal(values);
    }

    [Fact]
    public void Bad_options_are_explained()
    {
        var img = CamImage.FromGray(1, 1, [1f]);
        var mean = () => new Preprocessing { Mean = [1f, 2f] }.ToArray(img, 1, 1);
        mean.Should().Throw<ArgumentException>().WithMessage("*Mean has 2 values; give 3*or 1*");
        var std = () => new Preprocessing { Std = [1f, 0f, 1f] }.ToArray(img, 1, 1);
        std.Should().Throw<ArgumentException>().WithMessage("*Std value is 0*");
    }

    [Fact]
    public void Keras_caffe_is_BGR_0_255_minus_the_BGR_means()
    {
        var img = CamImage.FromRgb(1, 1, new byte[] { 10, 20, 30 });
        var (values, _) = Preprocessing.KerasCaffe.ToArray(img, 1, 1);
        values.Should().Equal(new[] { 30f - 103.939f, 20f - 116.779f, 10f - 123.68f }, (a, b) => Math.Abs(a - b) < 1e-4f);
    }

    [Fact]
    public void Keras_tf_maps_0_1_to_minus_1_plus_1_and_torch_is_ImageNet()
    {
        var img = CamImage.FromRgb(2, 1, new byte[] { 0, 0, 0, 255, 255, 255 });
        Preprocessing.KerasTf.ToArray(img, 2, 1).Values.Should().Equal(-1f, 1f, -1f, 1f, -1f, 1f);
        Preprocessing.KerasTorch.Should().Be(Preprocessing.ImageNet);
    }

    [Fact]
    public void Center_crop_rounds_its_offsets_half_to_even_as_Python()
    {
        // 5 wide, crop 2: (5 − 2) / 2 = 1.5 rounds to 2 (torchvision: int(round(1.5)) = 2); 4 tall: offset 1.
        var img = CamImage.FromGray(5, 4, Enumerable.Range(0, 20).Select(i => (byte)i).ToArray());
        var crop = new Preprocessing { CenterCrop = 2 }.Prepare(img, 2, 2);
        crop.Pixels.Where((_, i) => i % 3 == 0).Select(v => (int)MathF.Round(v * 255)).Should().Equal(7, 8, 12, 13);
        var tooLarge = () => new Preprocessing { CenterCrop = 6 }.Prepare(img, 6, 6);
        tooLarge.Should().Throw<ArgumentException>().WithMessage("*center-crop*6×6*Make ShorterSide at least CenterCrop*");
    }
}
