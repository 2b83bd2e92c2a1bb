using System.Text.Json;
using CamAssert.Models;

namespace CamAssert.TorchSharp.Tests.Support;

/// <summary>The fixtures tools/make_torchsharp_fixtures.py wrote (tests/fixtures/torchsharp).</summary>
internal static class TorchFixtures
{
    public static string Path_(string file) => Path.Combine(AppContext.BaseDirectory, "fixtures", "torchsharp", file);

    public static JsonElement Index { get; } = JsonDocument.Parse(File.ReadAllText(Path_("index.json"))).RootElement;

    public static string Layer => Index.GetProperty("layer").GetString()!;

    /// <summary>ResNetish with the weights torch 1.13 saved, shared by the tests (as a suite shares its model).</summary>
    public static CamModel ResNetish => Shared.Value;

    private static readonly Lazy<CamModel> Shared = new(() => TorchSharpModel.FromStateDict(new ResNetish(), Path_("resnetish.pt"), 32, 32));

    public static Models.Tensor Input => Imaging.Npy.Read(Path_("input.npy"));
}
