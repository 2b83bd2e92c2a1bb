using static TorchSharp.torch;

namespace CamAssert.TorchSharp;

/// <summary>
/// Serialises work on one module (hooks and train/eval mode belong to the module, not to a
/// call) and runs it in eval mode, restoring the caller's mode afterwards: a module left in
/// training mode would give maps that change with dropout and batch-norm statistics.
/// </summary>
internal sealed class ModuleGate(nn.Module module)
{
    /// <summary>The lock every native call on the module's graph takes.</summary>
    public object Lock { get; } = new();

    /// <summary>Runs <paramref name="action"/> alone on the module, in eval mode.</summary>
    public T InEval<T>(Func<T> action)
    {
        lock (Lock)
        {
            bool training = module.training;
            if (training) module.eval();
            try { return action(); }
            finally { if (training) module.train(); }
        }
    }
}
