using System.Diagnostics;

namespace CamAssert.Analyzers.Tests;

/// <summary>
/// The packed CamAssert package in a real <c>dotnet build</c> of a user's project: a misspelled
/// layer is error CAM1001 with the suggestion, typed members compile, a correct project builds
/// clean, and an unchanged model does not rerun the manifest step. Takes about a minute.
/// </summary>
public class ConsumerProjectTests
{
    private static string Repo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CamAssert.sln"))) return d.FullName;
        throw new InvalidOperationException("CamAssert.sln not found above the test assembly");
    }

    private static (int Code, string Output) Dotnet(string dir, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(600_000)) { p.Kill(true); throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in 10 minutes"); }
        return (p.ExitCode, output.Result + error.Result);
    }

    [Fact]
    public void Packed_package_checks_layer_paths_in_a_real_build()
    {
        string root = Path.Combine(Path.GetTempPath(), "camassert-consumer", Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(root, "feed"), project = Path.Combine(root, "project");
        string version = $"0.1.0-test{DateTime.UtcNow:yyyyMMddHHmmss}";
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        try
        {
            var pack = Dotnet(Repo(), "pack", "src/CamAssert", "-c", configuration, "-o", feed, $"-p:PackageVersion={version}", "-nodeReuse:false");
            pack.Code.Should().Be(0, pack.Output);

            Directory.CreateDirectory(Path.Combine(project, "models"));
            File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "nested_classifier.onnx"), Path.Combine(project, "models", "nested_classifier.onnx"));
            File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <RestoreAdditionalProjectSources>{feed}</RestoreAdditionalProjectSources>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="CamAssert" Version="{version}" />
                    <CamModel Include="models/nested_classifier.onnx" />
                  </ItemGroup>
                </Project>
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
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }
}
