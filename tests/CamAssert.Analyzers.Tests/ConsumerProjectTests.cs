using CamAssert.Tests.Shared;

namespace CamAssert.Analyzers.Tests;

/// <summary>
/// The packed CamAssert package in a real <c>dotnet build</c> of a user's project: a misspelled
/// layer is error CAM1001 with the suggestion, typed members compile, a correct project builds
/// clean, an unchanged model does not rerun the manifest step, and at run time
/// <c>Target.Class("name")</c> works from the declared labels for a model inside and one outside the
/// project folder, both loaded from <c>models/</c>. Takes about a minute.
/// </summary>
public class ConsumerProjectTests
{
    private static string Repo() => DotnetCli.Repo();

    private static (int Code, string Output) Dotnet(string dir, params string[] args) => DotnetCli.Run(dir, args);

    [Fact]
    public void Package_has_a_readme_rule_pages_and_a_clean_tool_layout()
    {
        string feed = Path.Combine(Path.GetTempPath(), "camassert-pack", Guid.NewGuid().ToString("N"));
        try
        {
            var pack = Dotnet(Repo(), "pack", "src/CamAssert", "-c", Configuration, "-o", feed, "-nodeReuse:false");
            pack.Code.Should().Be(0, pack.Output);
            pack.Output.Should().NotContain("warning NU", "the package packs without NuGet warnings (readme, layout)");
            using var zip = System.IO.Compression.ZipFile.OpenRead(Directory.GetFiles(feed, "*.nupkg").Single());
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            entries.Should().Contain("README.md").And.Contain("build/CamAssert.targets").And.Contain("tools/net10.0/any/CamAssert.Cli.dll");
            entries.Where(e => e.StartsWith("analyzers/dotnet/cs/rules/", StringComparison.Ordinal)).Should().HaveCount(6);
            entries.Where(e => e.StartsWith("tools/", StringComparison.Ordinal)).Should().OnlyContain(
                e => !e.Contains("/cs/cs/") && !e.Contains("runtimes/win/lib/netstandard2.0/runtimes/") && !e.Contains("/rules/"), "no path is doubled");
            using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
            string text = readme.ReadToEnd();
            text.Should().StartWith("# CamAssert").And.Contain("CamModel.Load").And.NotContain("dotnet test CamAssert.sln", "the package readme is the user part of the README");
        }
        finally
        {
            try { Directory.Delete(feed, true); } catch (IOException) { }
        }
    }

    private static string Configuration => DotnetCli.Configuration;

    [Fact]
    public void Packed_package_checks_layer_paths_in_a_real_build()
    {
        string root = Path.Combine(Path.GetTempPath(), "camassert-consumer", Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(root, "feed"), project = Path.Combine(root, "project");
        string version = $"0.1.0-test{DateTime.UtcNow:yyyyMMddHHmmss}";
        try
        {
            var pack = Dotnet(Repo(), "pack", "src/CamAssert", "-c", Configuration, "-o", feed, $"-p:PackageVersion={version}", "-nodeReuse:false");
            pack.Code.Should().Be(0, pack.Output);

            Directory.CreateDirectory(Path.Combine(project, "models"));
            Directory.CreateDirectory(Path.Combine(root, "shared"));
            string fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "nested_classifier.onnx");
            File.Copy(fixture, Path.Combine(project, "models", "nested_classifier.onnx"));
            File.Copy(fixture, Path.Combine(root, "shared", "outside.onnx"));
            File.WriteAllLines(Path.Combine(project, "models", "labels.txt"), ["ring", "disc", "star"]);
            File.WriteAllLines(Path.Combine(root, "shared", "outside.txt"), ["cat", "dog", "fox"]);
            File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <RestoreAdditionalProjectSources>{feed}</RestoreAdditionalProjectSources>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="CamAssert" Version="{version}" />
                    <CamModel Include="models/nested_classifier.onnx" Labels="models/labels.txt" />
                    <CamModel Include="../shared/outside.onnx" Labels="../shared/outside.txt" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(project, "Program.cs"), """
                using System;
                using System.Linq;
                using CamAssert;
                using CamAssert.Cam;
                using CamAssert.Imaging;
                using CamAssert.Models;
                var image = new CamImage(8, 8, 3, Enumerable.Range(0, 192).Select(i => (i % 7) / 7f).ToArray());
                foreach (var (path, label) in new[] { ("models/nested_classifier.onnx", "disc"), ("models/outside.onnx", "fox") })
                {
                    var cam = CamModel.Load(path).GradCam(image, Target.Class(label));
                    Console.WriteLine($"{path}: {cam.Target} at {cam.Layer}");
                }
                """);
            string source = Path.Combine(project, "Tests.cs");
            File.WriteAllText(source, """
                using CamAssert.Models;
                public static class Tests
                {
                    static readonly CamModel Model = CamModel.Load("models/nested_classifier.onnx");
                    public static object Typed => Model.Layer(CamModels.Nested_classifier.Layers.Backbone.Layer4);
                    public static object Misspelled => Model.Layer("layer4");
                }
                """);
            var bad = Dotnet(project, "build", "-nodeReuse:false");
            bad.Code.Should().NotBe(0);
            bad.Output.Should().Contain("error CAM1001").And.Contain("it exists as 'backbone.layer4'");

            File.WriteAllText(source, File.ReadAllText(source).Replace("Model.Layer(\"layer4\")", "Model.Layer(\"backbone.layer4\")"));
            var good = Dotnet(project, "build", "-nodeReuse:false");
            good.Code.Should().Be(0, good.Output);
            good.Output.Should().NotContain("CAM1").And.NotContain("CAM2").And.NotContain("CAM3");

            string manifest = Directory.GetFiles(Path.Combine(project, "obj"), "nested_classifier.onnx.camassert.json", SearchOption.AllDirectories).Single();
            var written = File.GetLastWriteTimeUtc(manifest);
            Dotnet(project, "build", "-nodeReuse:false").Code.Should().Be(0);
            File.GetLastWriteTimeUtc(manifest).Should().Be(written, "an unchanged model does not rerun the manifest step");

            var run = Dotnet(project, "run", "--no-build");
            run.Code.Should().Be(0, run.Output);
            run.Output.Should().Contain("models/nested_classifier.onnx: class 'disc'").And.Contain("models/outside.onnx: class 'fox'");
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }
}
