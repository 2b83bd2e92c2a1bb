namespace CamAssert.Cam;

/// <summary>
/// numpy's legacy generator (<c>np.random.seed(seed)</c>, then <c>np.random.uniform</c>): a
/// Mersenne Twister MT19937 seeded by init_genrand, and doubles of 53 bits from two 32-bit
/// draws, so RandomCAM's weights are pytorch-grad-cam's for the same seed; normal draws as
/// <c>np.random.randn</c> (ROAD's imputation noise).
/// </summary>
internal sealed class NumpyRandom
{
    private const int N = 624, M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;

    public NumpyRandom(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < N; i++) _mt[i] = unchecked(1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i);
        _index = N;
    }

    /// <summary>The next 32-bit draw (genrand_int32).</summary>
    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A double in [0, 1) as numpy makes it: (a >> 5, b >> 6) → (a·2²⁶ + b) / 2⁵³.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>np.random.uniform(low, high)</c>: low + (high − low) · u.</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    private double? _gauss;

    /// <summary><c>np.random.randn()</c> (legacy_gauss): Marsaglia's polar method, the second value of each pair kept for the next call.</summary>
    public double Gauss()
    {
        if (_gauss is { } kept) { _gauss = null; return kept; }
        double x1, x2, r2;
        do
        {
            x1 = 2 * NextDouble() - 1;
            x2 = 2 * NextDouble() - 1;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1 || r2 == 0);
        double f = Math.Sqrt(-2 * Math.Log(r2) / r2);
        _gauss = f * x1;
        return f * x2;
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7fffffffu);
            _mt[i] = _mt[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0);
        }
        _index = 0;
    }
}
