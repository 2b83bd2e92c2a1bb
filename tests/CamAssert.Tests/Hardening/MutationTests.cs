using CamAssert.Onnx.Engine;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Onnx.Proto;
using CamAssert.Tests.Support;
using Google.Protobuf;

namespace CamAssert.Tests.Hardening;

/// <summary>
/// Seeded mutation tests: thousands of damaged ONNX files and image files of each format. Only the documented typed
/// exceptions may come out, and nothing may hang (the test host's hang detector in .ci/run catches hangs; it is
/// not a speed check).
/// </summary>
public class MutationTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Type[] ModelErrors = [typeof(CamModelLoadException), typeof(ModelRunException)];

    private static byte[] Mutate(byte[] original, Random rnd)
    {
        var b = (byte[])original.Clone();
        switch (rnd.Next(5))
        {
            case 0: for (int i = rnd.Next(1, 9); i > 0; i--) b[rnd.Next(b.Length)] ^= (byte)(1 << rnd.Next(8)); return b;
            case 1: return b[..rnd.Next(b.Length)];
            case 2: { int at = rnd.Next(b.Length); return [.. b[..at], (byte)rnd.Next(256), .. b[at..]]; }
            case 3: { int at = rnd.Next(b.Length), n = rnd.Next(1, 16); return [.. b[..at], .. b[Math.Min(b.Length, at + n)..]]; }
            default: { int at = rnd.Next(b.Length), n = Math.Min(rnd.Next(1, 64), b.Length - at); var copy = b.AsSpan(at, n).ToArray(); return [.. b[..at], .. copy, .. b[at..]]; }
        }
    }

    // No time limit here: a timed unit test fails on a loaded machine. A decoder that hangs on a
    // mutant is caught by the test host's hang detector (.ci/run: --blame-hang-timeout), which
    // names this test and dumps its stacks.
    private static void Guarded(Action action) => action();

    [Fact]
    public void Damaged_onnx_files_give_only_typed_errors()
    {
        var original = OnnxBuilder.NestedClassifier().Bytes();
        var rnd = new Random(20261122);
        var input = Tensor.FromFloats([1, 3, 8, 8], new float[192]);
        int ran = 0, refused = 0;
        for (int i = 0; i < 2000; i++)
        {
            string path = _dir.File($"m{i % 8}.onnx");
            File.WriteAllBytes(path, Mutate(original, rnd));
            Guarded(() =>
            {
                try
                {
                    var model = CamModel.Load(path);
                    if (model.Input.Shape?.ToArray() is [_, 3, 8, 8]) model.Run(input);
                    ran++;
                }
                catch (Exception e) when (ModelErrors.Contains(e.GetType())) { refused++; }
                catch (Exception e) { throw new Xunit.Sdk.XunitException($"mutant {i}: {e.GetType().Name} escaped: {e.Message}"); }
            });
        }
        (ran + refused).Should().Be(2000);
        refused.Should().BeGreaterThan(100, "most damage is detected");
    }

    public static TheoryData<string> StructuralDamage => new() { "huge", "negative", "cycle", "dangling", "duplicate", "no-output", "bad-attr", "bad-type", "zero-dim" };

    [Theory]
    [MemberData(nameof(StructuralDamage))]
    public void Structural_damage_is_refused_at_load(string kind)
    {
        var b = OnnxBuilder.NestedClassifier();
        var g = b.Graph;
        switch (kind)
        {
            case "huge": g.Initializer[0].Dims.Clear(); g.Initializer[0].Dims.AddRange([1000000, 1000000, 1000]); break;
            case "negative": g.Initializer[0].Dims[0] = -4; break;
            case "cycle": g.Node[0].Input[0] = g.Node[3].Output[0]; break;
            case "dangling": g.Node[5].Input[1] = "nowhere"; break;
            case "duplicate": g.Node[4].Output[0] = g.Node[2].Output[0]; break;
            case "no-output": g.Output[0].Name = "missing"; break;
            case "bad-attr": g.Node[0].Attribute.First(a => a.Name == "pads").Ints[0] = -3; break;
            case "bad-type": g.Initializer[0].DataType = 42; break;
            case "zero-dim": g.Input[0].Type.TensorType.Shape.Dim[2].DimValue = 0; break;
        }
        var act = () => CamModel.Load(b.Save(_dir.Path, kind + ".onnx"));
        act.Should().Throw<CamModelLoadException>().Which.Message.Should().Contain(kind + ".onnx");
    }

    public static TheoryData<string> ImageKinds => new() { "rgb.png", "baseline.jpg", "progressive.jpg", "lossless.webp", "lossy.webp", "animated.gif", "gray16.png" };

    [Theory]
    [MemberData(nameof(ImageKinds))]
    public void Damaged_image_files_give_only_image_errors(string file)
    {
        var original = File.ReadAllBytes(Fixtures.Path_("images", "formats", file));
        var rnd = new Random(file.Length * 7919 + file[0]);
        int decoded = 0, refused = 0;
        for (int i = 0; i < 3000; i++)
        {
            var bytes = Mutate(original, rnd);
            Guarded(() =>
            {
                try { ImageReader.Read(bytes, $"mutant{i}-{file}"); decoded++; }
                catch (ImageFormatException e) when (e.FilePath == $"mutant{i}-{file}") { refused++; }
                catch (Exception e) { throw new Xunit.Sdk.XunitException($"{file} mutant {i}: {e.GetType().Name} escaped: {e.Message}"); }
            });
        }
        (decoded + refused).Should().Be(3000);
        refused.Should().BeGreaterThan(100, "truncations and damaged headers of {0} are detected", file);
    }

    [Theory]
    [MemberData(nameof(ImageKinds))]
    public void Every_truncation_gives_only_image_errors(string file)
    {
        var original = File.ReadAllBytes(Fixtures.Path_("images", "formats", file));
        for (int length = 0; length < original.Length; length++)
        {
            var bytes = original[..length];
            Guarded(() =>
            {
                try { ImageReader.Read(bytes, "cut-" + file); }
                catch (ImageFormatException) { }
                catch (Exception e) { throw new Xunit.Sdk.XunitException($"{file} cut to {length} bytes: {e.GetType().Name} escaped: {e.Message}"); }
            });
        }
    }
}
