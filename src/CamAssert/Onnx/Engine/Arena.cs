using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine;

/// <summary>
/// Activation buffers reused from one forward to the next. A forward pass opens a
/// <see cref="Scope"/>; while it is open, operators on that thread take their output arrays
/// from <see cref="Floats"/>, and the executor gives an array back when the last value that uses
/// it is dropped. Arrays are kept by exact length (a model's activations repeat a few sizes),
/// so after the first forward a run of forwards allocates nothing it could reuse. An array that
/// leaves the forward (a graph output, a layer the caller keeps) is never given back.
/// </summary>
internal sealed class Arena
{
    [ThreadStatic] private static Scope? _current;
    private readonly Dictionary<int, Stack<float[]>> _free = [];

    /// <summary>
    /// An uninitialised float array of <paramref name="length"/>: from the open scope's arena when
    /// one is open on this thread, else newly allocated. Callers write every element.
    /// </summary>
    public static float[] Floats(int length) =>
        _current is { } scope ? scope.Rent(length) : GC.AllocateUninitializedArray<float>(length);

    /// <summary>A zeroed float array of <paramref name="length"/> (see <see cref="Floats"/>).</summary>
    public static float[] Zeros(int length)
    {
        if (_current is null) return new float[length];
        var array = Floats(length);
        Array.Clear(array);
        return array;
    }

    /// <summary>Opens a scope on this thread; dispose it when the forward ends.</summary>
    public Scope Open() => new(this);

    private float[] Take(int length)
    {
        lock (_free)
            if (_free.TryGetValue(length, out var stack) && stack.Count > 0) return stack.Pop();
        return GC.AllocateUninitializedArray<float>(length);
    }

    private void Give(float[] array)
    {
        lock (_free)
        {
            if (!_free.TryGetValue(array.Length, out var stack)) _free[array.Length] = stack = new Stack<float[]>();
            stack.Push(array);
        }
    }

    /// <summary>One forward's use of the arena: the arrays it handed out, which alone may be given back.</summary>
    internal sealed class Scope : IDisposable
    {
        private readonly Arena _arena;
        private readonly Scope? _outer;
        private readonly HashSet<float[]> _rented = new(ReferenceEqualityComparer.Instance);

        internal Scope(Arena arena)
        {
            _arena = arena;
            _outer = _current;
            _current = this;
        }

        internal float[] Rent(int length)
        {
            var array = _arena.Take(length);
            _rented.Add(array);
            return array;
        }

        /// <summary>
        /// Gives <paramref name="array"/> back when this scope handed it out and no value in
        /// <paramref name="live"/> still reads it (views share their source's array).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void GiveBack(float[]? array, IEnumerable<Models.Tensor> live)
        {
            if (array is null || !_rented.Contains(array)) return;
            foreach (var value in live)
                if (ReferenceEquals(value.Floats, array)) return;
            _rented.Remove(array);
            _arena.Give(array);
        }

        /// <summary>Gives back a scratch array this scope handed out, which no value reads.</summary>
        public static void GiveBackScratch(float[] array)
        {
            if (_current is { } scope && scope._rented.Remove(array)) scope._arena.Give(array);
        }

        public void Dispose() => _current = _outer;
    }
}
