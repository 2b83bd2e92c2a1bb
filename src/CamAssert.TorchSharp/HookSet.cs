namespace CamAssert.TorchSharp;

/// <summary>Forward hooks registered for one forward: disposing removes them.</summary>
internal sealed class HookSet(Action remove) : IDisposable
{
    public void Dispose() => remove();
}
