using CamAssert.Tests.Shared;
using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// The packed CamAssert and CamAssert.TorchSharp packages in a fresh xunit project that brings
/// libtorch-cpu-linux-x64 itself: <c>dotnet test</c> there loads the native shim (the package's
/// loader fix where this system needs it) and asserts attention on a TorchSharp module, on
/// torchvision weights from a torch 1.13 state dict, and on a TorchScript file; then a wrong layer
/// path on a TorchVision model fails its build (CAM1001), and the analyzer's time on that compile is logged.
/// </summary>
public class ConsumerPackageTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Repo() => DotnetCli.Repo();

    private static (int Code, string Output) Dotnet(string dir, params string[] args) => DotnetCli.Run(dir, args, minutes: 15);

    private static string Configuration => DotnetCli.Configuration;

    [SlowFact]
    public void A_fresh_test_project_on_the_packed_packages_passes()
    {
        string root = Path.Combine(Path.GetTempPath(), "camassert-torchsharp-consumer", Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(root, "feed"), project = Path.Combine(root, "project");
        string version = $"0.1.0-test{DateTime.UtcNow:yyyyMMddHHmmss}";
        try
        {
            // CamAssert's pack publishes the CLI into the package: it must be restored (the solution build does it; a filtered run may not).
            var restore = Dotnet(Repo(), "restore", "src/CamAssert.Cli", "-nodeReuse:false");
            restore.Code.Should().Be(0, restore.Output);
            foreach (var package in new[] { "src/CamAssert", "src/CamAssert.TorchSharp" })
            {
                var pack = Dotnet(Repo(), "pack", package, "-c", Configuration, "-o", feed, $"-p:PackageVersion={version}", "-nodeReuse:false");
                pack.Code.Should().Be(0, pack.Output);
            }
            using (var zip = System.IO.Compression.ZipFile.OpenRead(Directory.GetFiles(feed, "CamAssert.TorchSharp.*.nupkg").Single()))
                zip.Entries.Select(e => e.FullName).Should().Contain("buildTransitive/CamAssert.TorchSharp.targets").And.Contain("lib/net10.0/CamAssert.TorchSharp.dll");

            Directory.CreateDirectory(Path.Combine(project, "fixtures"));
            foreach (var file in new[] { "mobilenet_v2.pt", "mobilenet_v2_input.npy", "mobilenet_v2__gradcam__class_1.npy", "resnetish_script.pt", "input.npy", "gradcam__class_3.npy" })
                File.Copy(TorchFixtures.Path_(file), Path.Combine(project, "fixtures", file));
            File.WriteAllText(Path.Combine(project, "Consumer.Tests.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <RestoreAdditionalProjectSources>{feed}</RestoreAdditionalProjectSources>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.1" />
                    <PackageReference Include="xunit" Version="2.9.3" />
                    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.4" />
                    <PackageReference Include="CamAssert" Version="{version}" />
                    <PackageReference Include="CamAssert.TorchSharp" Version="{version}" />
                    <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
                    <PackageReference Include="TorchVision" Version="0.107.0" />
                    <None Include="fixtures/*" CopyToOutputDirectory="PreserveNewest" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(project, "AttentionTests.cs"), """
                using CamAssert;
                using CamAssert.Cam;
                using CamAssert.Heatmaps;
                using CamAssert.Imaging;
                using CamAssert.TorchSharp;
                using TorchSharp;
                using Xunit;
                using static TorchSharp.torch;

                public class AttentionTests
                {
                    static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "fixtures", file);

                    static double Worst(IReadOnlyList<float> a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

                    [Fact]
                    public void A_module_looks_at_the_bright_corner()
                    {
                        var features = nn.Sequential(nn.Conv2d(3, 1, 1), nn.ReLU());
                        using (no_grad()) { features.parameters().First().fill_(1); features.parameters().Last().fill_(0); }
                        var module = nn.Sequential(("features", features), ("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(1, 2)));
                        using (no_grad()) module.named_parameters().Single(p => p.name == "fc.weight").parameter.copy_(tensor(new float[] { 1, -1 }, new long[] { 2, 1 }));
                        var model = TorchSharpModel.From(module, 16, 16, ["bright", "dark"]);
                        var pixels = new float[3 * 16 * 16];
                        for (int c = 0; c < 3; c++) for (int y = 0; y < 6; y++) for (int x = 0; x < 6; x++) pixels[c * 256 + y * 16 + x] = 1;
                        var heatmap = model.GradCam(CamAssert.Models.Tensor.FromFloats([1, 3, 16, 16], pixels), Target.Class("bright"));
                        heatmap.Should().PeakIn(Region.Box(0, 0, 6, 6));
                    }

                    [Fact]
                    public void Torchvision_weights_from_torch_give_pytorch_grad_cams_map()
                    {
                        var model = TorchSharpModel.FromStateDict(torchvision.models.mobilenet_v2(num_classes: 5, width_mult: 0.25), Fixture("mobilenet_v2.pt"), 64, 64);
                        var heatmap = model.GradCam(Npy.Read(Fixture("mobilenet_v2_input.npy")), Target.Class(1));
                        heatmap.Should().NotBeDegenerate();
                        Assert.True(Worst(heatmap.Values, Npy.Read(Fixture("mobilenet_v2__gradcam__class_1.npy")).F) <= 1e-4);
                    }

                    [Fact]
                    public void A_torchscript_file_gives_pytorch_grad_cams_map()
                    {
                        var model = TorchSharpModel.LoadTorchScript(Fixture("resnetish_script.pt"), 32, 32);
                        var heatmap = model.GradCam(Npy.Read(Fixture("input.npy")), Target.Class(3));
                        Assert.Equal("features", heatmap.Source.Layer);
                        Assert.True(Worst(heatmap.Values, Npy.Read(Fixture("gradcam__class_3.npy")).F) <= 1e-4);
                    }
                }
                """);
            var test = Dotnet(project, "test", "-nodeReuse:false");
            test.Code.Should().Be(0, test.Output);
            test.Output.Should().MatchRegex(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+3", "all three consumer tests run and pass");

            // A wrong layer path on a TorchVision model fails the build (CAM1001 is an error), with the analyzer's timing reported.
            File.WriteAllText(Path.Combine(project, "WrongLayerTests.cs"), """
                using CamAssert.TorchSharp;
                using TorchSharp;

                public class WrongLayerTests
                {
                    static readonly CamAssert.Models.CamModel Model = TorchSharpModel.From(torchvision.models.resnet18(num_classes: 2), 32, 32);

                    [Xunit.Fact]
                    public void Layer5() => Model.Layer("layer5");
                }
                """);
            var wrong = Dotnet(project, "build", "--no-restore", "-nodeReuse:false", "-p:ReportAnalyzer=true", "-v:detailed");
            wrong.Code.Should().NotBe(0, "a wrong layer path must fail the consumer's build");
            wrong.Output.Should().MatchRegex(@"error CAM1001: Layer 'layer5' does not exist in 'torchvision\.models\.resnet18\(\)'.*Nearest paths: layer4", wrong.Output);
            // Logged, not asserted (no wall-clock limits in tests): the compiler's totals and the time of each of CamAssert's analyzers and its generator.
            output.WriteLine("Time (s) of the consumer's compile with -p:ReportAnalyzer=true (CamAssert's analyzers, then its generator):");
            output.WriteLine(string.Join('\n', wrong.Output.Split('\n').Select(l => l.TrimEnd())
                .Where(l => l.Contains("Total analyzer execution time") || l.Contains("Total generator execution time")
                    || System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*<?[0-9.]+\s+<?[0-9]+\s+CamAssert\.Analyzers[.,]"))));
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }
}
