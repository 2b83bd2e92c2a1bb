using CamAssert.Analyzers.Rules;
using Microsoft.CodeAnalysis;

namespace CamAssert.Analyzers.Tests;

/// <summary>CAM1001 on TorchSharp modules, with the layer tree read from the module classes' source (no manifest).</summary>
public class ModuleLayerPathTests
{
    /// <summary>
    /// A nested custom module: fields (a leading m_ kept), named and numbered Sequentials, and opaque parts:
    /// a plain Module field set from a parameter, a list filled by a loop that adds twice a turn, TorchSharp's own layers (metadata only);
    /// and a literal ModuleList and a Sequential of a list filled by a constant loop, whose children are numbered.
    /// </summary>
    internal const string Modules = """
        using System.Collections.Generic;
        using CamAssert.TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch.nn;
        using TT = TorchSharp.torch.Tensor;

        public sealed class Block : Module<TT, TT>
        {
            private readonly Module<TT, TT> conv1 = Conv2d(8, 8, 3);
            private readonly Conv2d conv2;
            public Block() : base(nameof(Block)) { conv2 = Conv2d(8, 8, 3); RegisterComponents(); }
            public override TT forward(TT x) => conv2.forward(conv1.forward(x));
        }

        public sealed class Backbone : Module<TT, TT>
        {
            private readonly Sequential stem = Sequential(("conv", Conv2d(3, 8, 3)), ("relu", ReLU()));
            private readonly Block layer1 = new Block();
            private readonly Sequential layer4;
            private readonly Module<TT, TT> _extra;
            private static readonly Block Shared = new Block();
            public Backbone(Module<TT, TT> extra) : base(nameof(Backbone))
            {
                layer4 = Sequential(new Block(), new Block());
                _extra = extra;
                RegisterComponents();
            }
            public override TT forward(TT x) => _extra.forward(layer4.forward(layer1.forward(stem.forward(x))));
        }

        public sealed class MyNet : Module<TT, TT>
        {
            private readonly Backbone backbone;
            private readonly Sequential m_head;
            private readonly Sequential blocks;
            private readonly ModuleList<Block> pair = ModuleList(new Block(), new Block());
            private readonly ModuleList<Block> stages;
            public MyNet() : base(nameof(MyNet))
            {
                backbone = new Backbone(Identity());
                m_head = Sequential(AdaptiveAvgPool2d(1), Flatten(), Linear(8, 3));
                var list = new List<Module<TT, TT>>();
                for (int i = 0; i < 3; i++) list.Add(new Block());
                blocks = Sequential(list);
                var more = new List<Block>();
                for (int i = 0; i < 2; i++) { more.Add(new Block()); more.Add(new Block()); }
                stages = ModuleList(more.ToArray());
                RegisterComponents();
            }
            public override TT forward(TT x) => m_head.forward(blocks.forward(backbone.forward(x)));
        }

        """;

    private static string Snippet(string body) => Modules + $$"""
        public class Tests
        {
            static readonly CamModel Model = TorchSharpModel.From(new MyNet(), 32, 32);
            static CamModel Other => Model;
            public void Test(CamAssert.Models.Tensor input)
            {
                {{body}}
            }
        }
        """;

    private static IEnumerable<Diagnostic> Diagnostics(string body) => Compile.Diagnostics(new LayerPathAnalyzer(), Snippet(body));

    [Theory]
    [InlineData("""Model.Layer("backbone");""")]
    [InlineData("""Model.Layer("backbone.stem.conv");""")]
    [InlineData("""Model.Should().HaveLayer("backbone/stem/relu");""")]
    [InlineData("""Model.Layer("backbone.layer1.conv2");""")]
    [InlineData("""Model.Layer("backbone.layer4.1.conv1");""")]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "backbone.layer4[-1]");""")]
    [InlineData("""Other.Layer("m_head.2");""")]
    [InlineData("""Model.Layer("blocks.2.conv2");""")]
    [InlineData("""Model.Layer("blocks[-1].conv1");""")]
    [InlineData("""Model.Layer("pair.1.conv2");""")]
    [InlineData("""TorchSharpModel.FromStateDict(new MyNet(), "w.pt", 32, 32).Layer("backbone.layer4");""")]
    public void Valid_paths_are_quiet(string body) => Diagnostics(body).Should().BeEmpty();

    [Theory]
    [InlineData("""Model.Layer("backbone._extra.anything.at.all");""")]
    [InlineData("""Model.Layer("stages.7.conv9");""")]
    [InlineData("""Model.Layer("backbone.layer1.conv1.weight");""")]
    [InlineData("""Model.Layer("backbone.stem.conv.inner");""")]
    [InlineData("""Model.Layer("backbone[0]");""")]
    [InlineData("""Model.Layer("pair[5]");""")]
    public void Paths_into_parts_the_analyzer_cannot_see_are_quiet(string body) => Diagnostics(body).Should().BeEmpty();

    [Theory]
    [InlineData("""Model.Should().HaveLayer("backbone.layr4");""", "Nearest paths: backbone.layer4")]
    [InlineData("""Model.Layer("layer4");""", "'layer4' is not a top-level layer of 'MyNet'; it exists as 'backbone.layer4'")]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "backbone.layer4[2]");""", "index [2] is out of range: 'backbone.layer4' has 2 child layers")]
    [InlineData("""Other.Layer("backbone.layer1.conv3");""", "'conv3' is not a child of 'backbone.layer1'")]
    [InlineData("""Model.Layer("head");""", "Nearest paths: m_head")]
    [InlineData("""Model.Layer("blocks.3");""", "'3' is not a child of 'blocks'")]
    [InlineData("""Model.Layer("pair.2");""", "'2' is not a child of 'pair'")]
    [InlineData("""Model.Layer("backbone.Shared");""", "'Shared' is not a child of 'backbone'")]
    [InlineData("""var m = TorchSharpModel.FromStateDict(new MyNet(), "w.pt", 32, 32); m.GradCam(input, Target.Class(0), layer: "backbone.stem.relu2");""", "Nearest paths: backbone.stem.relu")]
    [InlineData("""var net = new MyNet(); var m = TorchSharpModel.From(net, 32, 32); m.Layer("backbone.layer5");""", "Nearest paths: backbone.layer4, backbone.layer1")]
    public void Unknown_paths_are_CAM1001_naming_the_module_type(string body, string expected)
    {
        var d = Diagnostics(body).Should().ContainSingle().Subject;
        d.Id.Should().Be("CAM1001");
        d.GetMessage().Should().Contain("does not exist in 'MyNet'").And.Contain(expected);
        d.Properties[LayerPathAnalyzer.SuggestionKey].Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Modules_from_metadata_or_unknown_instances_are_not_checked()
    {
        string code = Modules + """
            public class Tests
            {
                public void Test(MyNet given)
                {
                    TorchSharpModel.From(Linear(3, 3), 1, 1).Layer("nonsense");
                    TorchSharpModel.From(given, 32, 32).Layer("nonsense");
                }
            }
            """;
        Compile.Diagnostics(new LayerPathAnalyzer(), code).Should().BeEmpty();
    }

    [Fact]
    public void A_Sequential_the_class_appends_to_is_opaque()
    {
        string code = Modules + """
            public sealed class Grown : Module<TT, TT>
            {
                private readonly Sequential empty = Sequential();
                private readonly Sequential named = Sequential(("a", ReLU()));
                public Grown() : base("grown") { empty.append("late", ReLU()); named.append("b", ReLU()); RegisterComponents(); }
                public override TT forward(TT x) => named.forward(empty.forward(x));
            }

            public class Tests
            {
                static readonly CamModel Model = TorchSharpModel.From(new Grown(), 8, 8);
                public void Test() { Model.Layer("empty.late"); Model.Layer("named.b"); Model.Layer("nammed"); }
            }
            """;
        Compile.Diagnostics(new LayerPathAnalyzer(), code).Should().ContainSingle().Which.GetMessage().Should().Contain("Nearest paths: named");
    }

    [Fact]
    public void Cycles_and_deep_generic_nesting_end_and_still_check_what_they_can_see()
    {
        string code = Modules + """
            public sealed class Loop : Module<TT, TT>
            {
                private readonly Loop next;
                private readonly Loop self;
                public Loop(int depth) : base("loop") { if (depth > 0) next = new Loop(depth - 1); self = this; RegisterComponents(); }
                public override TT forward(TT x) => x;
            }

            public sealed class Nest<T> : Module<TT, TT>
            {
                private readonly Nest<Nest<T>> inner;
                private readonly Loop loop = new Loop(2);
                public Nest(int depth) : base("nest") { if (depth > 0) inner = new Nest<Nest<T>>(depth - 1); RegisterComponents(); }
                public override TT forward(TT x) => x;
            }

            public class Tests
            {
                static readonly CamModel Looped = TorchSharpModel.From(new Loop(3), 8, 8);
                static readonly CamModel Nested = TorchSharpModel.From(new Nest<int>(40), 8, 8);
                public void Test()
                {
                    Looped.Layer("next.next.next.self.next");
                    Nested.Layer("inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.loop.next");
                    Looped.Layer("nxt");
                    Nested.Layer("inner.lop");
                }
            }
            """;
        var found = Compile.Diagnostics(new LayerPathAnalyzer(), code);
        found.Select(d => d.GetMessage()).Should().SatisfyRespectively(
            first => first.Should().Contain("'nxt' is not a top-level layer of 'Loop'").And.Contain("Nearest paths: next"),
            second => second.Should().Contain("'lop' is not a child of 'inner'").And.Contain("Nearest paths: inner.loop"));
    }

    [Fact]
    public void Mutual_cycles_huge_loops_and_self_calling_forwards_end_and_still_check_what_they_can_see()
    {
        string code = Modules + """
            public sealed class Ping : Module<TT, TT>
            {
                private readonly Pong pong;
                private readonly ModuleList<Ping> again;
                public Ping(int n) : base("ping") { pong = new Pong(n); again = ModuleList(new Ping(n - 1)); RegisterComponents(); }
                public override TT forward(TT x) => forward(pong.forward(x)) + again[0].forward(x);
            }

            public sealed class Pong : Module<TT, TT>
            {
                private readonly Ping ping;
                private readonly Sequential many;
                public Pong(int n) : base("pong")
                {
                    ping = new Ping(n - 1);
                    var list = new List<Module<TT, TT>>();
                    for (int i = 0; i < 2000000000; i++) list.Add(new Ping(0));
                    for (int i = 0; i < 1000; i++) for (int j = 0; j < 1000; j++) list.Add(ReLU());
                    many = Sequential(list);
                    RegisterComponents();
                }
                public override TT forward(TT x) => ping.forward(x) + forward(x);
            }

            public class Tests
            {
                static readonly CamModel Model = TorchSharpModel.From(new Ping(3), 8, 8);
                public void Test(CamAssert.Models.Tensor input)
                {
                    Model.GradCam(input, Target.Class(0), layer: "pong.ping.pong.many.123456789.again.0");
                    Model.Layer("pong.pnig");
                }
            }
            """;
        Compile.Diagnostics(new LayerPathAnalyzer(), code).Should().ContainSingle()
            .Which.GetMessage().Should().Contain("'pnig' is not a child of 'pong'").And.Contain("Nearest paths: pong.ping");
    }

    [Theory]
    [InlineData("@a\n x\n", "indented deeper than its parent")]
    [InlineData("@a\n=b\n", "'a' refers to 'b'")]
    [InlineData("@a\n=b\n@b\n=a\n", "chain of '=' references")]
    public void A_damaged_TorchVision_table_says_what_is_wrong(string text, string expected)
    {
        var act = () => CamAssert.Analyzers.Modules.TorchVisionModels.Read(text);
        act.Should().Throw<FormatException>().WithMessage($"*torchvision_models.txt*{expected}*");
    }

    [Fact]
    public void A_Sequential_given_straight_to_the_entry_point_is_checked()
    {
        string code = Modules + """
            public class Tests
            {
                static readonly CamModel Model = TorchSharpModel.From(Sequential(("features", new Block()), ("pool", AdaptiveAvgPool2d(1)), ("fc", Linear(8, 2))), 8, 8);
                public void Test()
                {
                    var local = Sequential(("features", new Block()));
                    TorchSharpModel.From(local, 8, 8).Layer("features.conv2");
                    Model.Layer("features.conv1");
                    Model.Layer("feature");
                }
            }
            """;
        var d = Compile.Diagnostics(new LayerPathAnalyzer(), code).Should().ContainSingle().Subject;
        d.GetMessage().Should().Contain("does not exist in 'nn.Sequential(…)'").And.Contain("Nearest paths: features");
    }

    [Fact]
    public void Every_factory_of_the_shipped_TorchVision_table_reads()
    {
        var all = CamAssert.Analyzers.Modules.TorchVisionModels.All();
        all.Keys.Should().Contain(["resnet18", "resnet50", "resnet152", "vgg16_bn", "inception_v3", "googlenet", "mobilenet_v2", "mobilenet_v3_large", "alexnet"]);
        all.Values.Should().OnlyContain(f => f.Paths.Count > 0 && f.Paths.Distinct().Count() == f.Paths.Count, "each factory lists its modules once");
        all["resnet50"].Paths.Should().Contain("layer4.2.conv3").And.Contain("layer1.0.downsample.1");
        all["wide_resnet50_2"].Paths.Should().Equal(all["resnet50"].Paths, "the table says wide_resnet50_2 has resnet50's names");
        all["resnet50"].Keeps.Should().Contain(["num_classes", "weights_file"]).And.NotContain("norm_layer");
    }
}
