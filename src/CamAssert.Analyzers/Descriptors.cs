using Microsoft.CodeAnalysis;

namespace CamAssert.Analyzers;

/// <summary>Every diagnostic CamAssert reports, in one place. Each has a page in docs/rules/.</summary>
internal static class Descriptors
{
    private const string Layers = "CamAssert.LayerPaths", Targets = "CamAssert.Targets", Usage = "CamAssert.Usage";

    /// <summary>The folder of rule pages shipped beside this assembly (<c>analyzers/dotnet/cs/rules/</c> in the package).</summary>
    public const string RulesFolder = "rules";

    /// <summary>
    /// The rule's page as a file URI: the pages ship in the package beside the analyzer, so the link needs
    /// no web host. Empty when the assembly was loaded without a location (the message still names the rule).
    /// </summary>
    private static string Help(string id)
    {
        string location = typeof(Descriptors).Assembly.Location;
        if (string.IsNullOrEmpty(location)) return "";
        return new System.Uri(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(location)!, RulesFolder, id + ".md")).AbsoluteUri;
    }

    public static readonly DiagnosticDescriptor UnknownLayer = new(
        "CAM1001", "Unknown layer path",
        "Layer '{0}' does not exist in '{1}': {2}",
        Layers, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The layer path does not resolve in the model's layer tree. Use a path from `camassert layers MODEL`, or the suggested one.",
        helpLinkUri: Help("CAM1001"));

    public static readonly DiagnosticDescriptor NotSpatial = new(
        "CAM1002", "Layer has no spatial extent",
        "Layer '{0}' of '{1}' has output shape {2}, with no spatial extent, so a CAM at it cannot say where anything is; use '{3}'",
        Layers, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A layer after global pooling or flattening has one position per channel. Choose a convolutional layer before the pooling.",
        helpLinkUri: Help("CAM1002"));

    public static readonly DiagnosticDescriptor NotDominating = new(
        "CAM1003", "Evidence flows around this layer",
        "Layer '{0}' of '{1}' is one branch: other paths reach the output without passing through it, so its map shows part of the evidence; use '{2}'",
        Layers, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Grad-CAM wants the last feature map that all evidence passes through (Inception's Mixed_7c, not one of its branches).",
        helpLinkUri: Help("CAM1003"));

    public static readonly DiagnosticDescriptor ClassOutOfRange = new(
        "CAM2001", "Class out of range",
        "{0} does not fit '{1}': {2}",
        Targets, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The class index must be below the number of outputs, and a class name must be one of the model's labels.",
        helpLinkUri: Help("CAM2001"));

    public static readonly DiagnosticDescriptor ChannelOutOfRange = new(
        "CAM2002", "Channel out of range",
        "Channel {0} is out of range for {1}, which has {2} channels (0 to {3})",
        Targets, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The channel index must be below the channel count of the layer or output it refers to.",
        helpLinkUri: Help("CAM2002"));

    public static readonly DiagnosticDescriptor UndeclaredModel = new(
        "CAM3001", "Model is not declared",
        "Model '{0}' is not declared with a <CamModel> item, so its layer paths and classes cannot be checked at compile time; add <CamModel Include=\"{0}\" /> to the project",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Declare every model the tests load, so the build writes its manifest and the analyzer can check paths, classes and channels.",
        helpLinkUri: Help("CAM3001"));
}
