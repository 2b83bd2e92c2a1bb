namespace CamAssert.Cli.Commands;
internal static class EvalHtml { public static string Build(Evaluation e) => ""; }
