using System.CommandLine;
using CamAssert.Cli.Commands;

var root = new RootCommand("camassert: test where an image model looks (Grad-CAM assertions, layer paths, golden heatmaps).");
root.Subcommands.Add(LayersCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(CamCommand.Create());
root.Subcommands.Add(DffCommand.Create());
root.Subcommands.Add(ManifestCommand.Create());
root.Subcommands.Add(AcceptCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
return root.Parse(args).Invoke();
