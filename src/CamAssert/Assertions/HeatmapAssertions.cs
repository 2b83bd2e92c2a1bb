using CamAssert.Heatmaps;
using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;

namespace CamAssert.Assertions;

/// <summary>Assertions about where a <see cref="Heatmap"/> puts the evidence. Regions are in the original image's pixels.</summary>
public sealed class HeatmapAssertions(Heatmap subject) : ReferenceTypeAssertions<Heatmap, HeatmapAssertions>(subject)
{
    /// <inheritdoc/>
    protected override string Identifier => "heatmap";

    /// <summary>
    /// Starts an energy-share assertion: finish with a bound, read as written:
    /// <c>HaveEnergyIn(r).AtLeast(0.5)</c> passes when the share in <paramref name="region"/> is ≥ 50 %,
    /// <c>.MoreThan(0.5)</c> when it is &gt; 50 %, <c>.AtMost</c> ≤, <c>.LessThan</c> &lt;.
    /// </summary>
    public EnergyConstraint HaveEnergyIn(Region region) => new(this, region, negated: false);

    /// <summary>
    /// Starts the negated energy-share assertion: <c>NotHaveEnergyIn(r).MoreThan(0.2)</c> passes when the
    /// share in <paramref name="region"/> is not more than 20 % (≤), <c>.AtLeast(0.2)</c> when it is not at
    /// least 20 % (&lt;); each bound is the exact negation of the same bound on <see cref="HaveEnergyIn"/>.
    /// </summary>
    public EnergyConstraint NotHaveEnergyIn(Region region) => new(this, region, negated: true);

    /// <summary>Asserts that the map's maximum lies in <paramref name="region"/> (pointing game; with ties, any tied maximum counts).</summary>
    public AndConstraint<HeatmapAssertions> PeakIn(Region region, string because = "", params object[] becauseArgs)
    {
        var map = Subject.AtImageSize();
        var mask = region.Rasterize(Subject.ImageWidth, Subject.ImageHeight);
        bool hit = !Subject.IsDegenerate && Localization.PeakInside(map, mask, Subject.ImageWidth);
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(hit)
            .FailWith("Expected {context:heatmap} to peak in {0}{reason}, but " + (hit ? "" : FailureText.Where(Subject, region)) + ".", region);
        return new AndConstraint<HeatmapAssertions>(this);
    }

    /// <summary>Starts a box assertion (Grad-CAM paper): finish with <see cref="OverlapConstraint.WithIoUAtLeast"/>.</summary>
    public OverlapConstraint OverlapWith(int x, int y, int width, int height) => new(this, (x, y, width, height));

    /// <summary>Asserts that the map is not degenerate (non-zero gradients and some positive evidence).</summary>
    public AndConstraint<HeatmapAssertions> NotBeDegenerate(string because = "", params object[] becauseArgs)
    {
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(!Subject.IsDegenerate)
            .FailWith("Expected {context:heatmap} not to be degenerate{reason}, but " + FailureText.Escape(Subject.DegenerateReason ?? "") + "; " + FailureText.Escape(FailureText.Describe(Subject)) + ".");
        return new AndConstraint<HeatmapAssertions>(this);
    }

    /// <summary>
    /// Asserts that the map matches its golden file <c>{TestClass}.{TestMethod}[_{parameters}].verified.png</c>
    /// in the nearest <c>golden/</c> directory above the test's source file. A new or changed map is
    /// written as <c>.received.png</c> with an expected | actual | difference picture; accept it with
    /// <c>camassert accept</c> or <c>CAMASSERT_ACCEPT=1</c> (never on a build server).
    /// </summary>
    /// <param name="parameters">
    /// Names the case of a theory, e.g. <c>"shape=circle"</c>. Default: derived from the running theory row's
    /// arguments when the <c>CamAssert.Xunit</c> adapter is in use (see <see cref="Golden.RunningTest"/>); give it
    /// to override that name, or where no adapter runs.
    /// </param>
    /// <param name="tolerance">How much drift passes (default <see cref="Golden.GoldenTolerance.Default"/>).</param>
    /// <param name="because">Reason, as in every FluentAssertions assertion.</param>
    /// <param name="sourceFile">Filled in by the compiler.</param>
    /// <param name="testMethod">Filled in by the compiler.</param>
    public AndConstraint<HeatmapAssertions> MatchGolden(string? parameters = null, Golden.GoldenTolerance? tolerance = null, string because = "",
        [System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "", [System.Runtime.CompilerServices.CallerMemberName] string testMethod = "")
    {
        string directory = Golden.GoldenName.DirectoryFor(sourceFile);
        string name = Golden.GoldenName.For(sourceFile, testMethod, parameters ?? Golden.RunningTest.Value?.Parameters);
        string verified = Golden.GoldenName.PathIn(directory, name, Golden.GoldenStore.VerifiedSuffix);
        if (Golden.RunningTest.Claim(verified) is { } other)
        {
            Execute.Assertion.BecauseOf(because).FailWith("Expected {context:heatmap} to match its own golden file{reason}, but " +
                FailureText.Escape($"test cases '{other}' and '{Golden.RunningTest.Value!.DisplayName}' would share {verified}. Give each row its own name with MatchGolden(parameters: …).") );
            return new AndConstraint<HeatmapAssertions>(this);
        }
        var result = Golden.GoldenStore.Check(Subject, directory, name, tolerance);
        Execute.Assertion.BecauseOf(because).ForCondition(result.Passed)
            .FailWith("Expected {context:heatmap} to match its golden file{reason}, but " + FailureText.Escape(FailureText.Continuing(result.Message) + " " + FailureText.Sentence(FailureText.Describe(Subject))) + ".");
        return new AndConstraint<HeatmapAssertions>(this);
    }

    /// <summary>Starts a channel assertion about the <paramref name="count"/> channels carrying the most evidence: finish with <c>Including(channels)</c>.</summary>
    public TopChannelsConstraint HaveTopChannels(int count) => new(this, count);

    /// <summary>Starts an assertion about channel <paramref name="channel"/>'s share of the evidence: finish with <see cref="ChannelShareConstraint.AtLeast"/>.</summary>
    public ChannelShareConstraint HaveChannelShare(int channel) => new(this, channel);

    /// <summary>Overlap of the map's localisation box with a box, waiting for its bound.</summary>
    public sealed class OverlapConstraint(HeatmapAssertions parent, (int X, int Y, int Width, int Height) box)
    {
        /// <summary>The box around the largest connected component above 15 % of the max has IoU ≥ <paramref name="iou"/> with the box.</summary>
        public AndConstraint<HeatmapAssertions> WithIoUAtLeast(double iou, string because = "", params object[] becauseArgs)
        {
            var h = parent.Subject;
            var found = Localization.LargestComponentBox(h.AtImageSize(), h.ImageWidth, h.ImageHeight);
            double measured = found is { } f ? Localization.BoxIoU(f, box) : 0;
            string foundText = found is { } b ? $"box (x {b.X}, y {b.Y}, {b.Width}×{b.Height})" : "no box (the map is empty)";
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(measured >= iou)
                .FailWith($"Expected {{context:heatmap}} to overlap box (x {box.X}, y {box.Y}, {box.Width}×{box.Height}) with IoU at least {iou:0.00}{{reason}}, but its 15 %-threshold component has {foundText}, IoU {measured:0.00}; {FailureText.Escape(FailureText.Describe(h))}.");
            return new AndConstraint<HeatmapAssertions>(parent);
        }
    }

    /// <summary>The top channels, waiting for the channels they must include.</summary>
    public sealed class TopChannelsConstraint(HeatmapAssertions parent, int count)
    {
        /// <summary>The top channels include every one of <paramref name="channels"/>.</summary>
        public AndConstraint<HeatmapAssertions> Including(params int[] channels) => Including(channels, "");

        /// <summary>The top channels include every one of <paramref name="channels"/>.</summary>
        public AndConstraint<HeatmapAssertions> Including(int[] channels, string because, params object[] becauseArgs)
        {
            var top = parent.Subject.TopChannels(count);
            var missing = channels.Where(c => !top.Contains(c)).ToList();
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(missing.Count == 0)
                .FailWith($"Expected the top {count} channels of {{context:heatmap}} to include {string.Join(", ", channels)}{{reason}}, but they are {FailureText.Channels(parent.Subject, top)}; missing {string.Join(", ", missing.Select(m => $"{m} ({FailureText.Percent(parent.Subject.ChannelShares.ElementAtOrDefault(m), 1)})"))}.");
            return new AndConstraint<HeatmapAssertions>(parent);
        }
    }

    /// <summary>One channel's share, waiting for its bound.</summary>
    public sealed class ChannelShareConstraint(HeatmapAssertions parent, int channel)
    {
        /// <summary>The channel carries at least <paramref name="share"/> (0..1) of the positive evidence.</summary>
        public AndConstraint<HeatmapAssertions> AtLeast(double share, string because = "", params object[] becauseArgs)
        {
            var shares = parent.Subject.ChannelShares;
            if (channel < 0 || channel >= shares.Length)
                throw new ArgumentOutOfRangeException(nameof(channel), channel, $"Channel {channel} is out of range: the layer has {shares.Length} channels (0 to {shares.Length - 1}).");
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(shares[channel] >= share)
                .FailWith($"Expected channel {channel} of {{context:heatmap}} to carry at least {FailureText.Percent(share, 1)} of the evidence{{reason}}, but it carries {FailureText.Percent(shares[channel], 1)}; the top channels are {FailureText.Channels(parent.Subject, parent.Subject.TopChannels(5))}.");
            return new AndConstraint<HeatmapAssertions>(parent);
        }
    }
}
