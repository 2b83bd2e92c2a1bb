namespace CamAssert.Cam;

/// <summary>
/// torch's CPU <c>torch.normal</c> after <c>torch.manual_seed(seed)</c>, for a float32 tensor of at least 16
/// elements (ATen's normal_fill): the MT19937 engine seeded with the seed's low 32 bits; one 24-bit uniform
/// per element; then Box-Muller on each block of 16 (u1 = 1 − first eight, u2 = last eight), and when the
/// count is not a multiple of 16 the last 16 elements are drawn again and transformed as one block.
/// Successive <see cref="Normal"/> calls continue the generator, as successive torch calls do
/// (torch.distributions.Normal.sample draws the same numbers as torch.normal).
/// </summary>
internal sealed class TorchNormal(ulong seed)
{
    private readonly NumpyRandom _engine = new(unchecked((uint)seed));

    /// <summary><paramref name="count"/> (≥ 16) draws of N(0, <paramref name="stdev"/>²) from a fresh generator: torch.manual_seed(seed), then one torch.normal.</summary>
    public static float[] Draw(ulong seed, int count, float stdev)
    {
        if (count < 16)
            throw new CamException($"NoiseTunnel draws its noise as torch does for at least 16 values, but the input has {count}. Use an input of at least 16 values.");
        return new TorchNormal(seed).Normal(count, stdev);
    }

    /// <summary>The next torch.normal(0, <paramref name="stdev"/>, size) of <paramref name="count"/> (≥ 16) elements.</summary>
    public float[] Normal(int count, float stdev)
    {
        if (count < 16)
            throw new CamException($"CamAssert draws torch's normal noise for tensors of at least 16 values, but {count} were asked for.");
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = Uniform();
        for (int i = 0; i + 16 <= count; i += 16) BoxMuller(data.AsSpan(i, 16));
        if (count % 16 != 0)
        {
            var tail = data.AsSpan(count - 16, 16);
            for (int i = 0; i < 16; i++) tail[i] = Uniform();
            BoxMuller(tail);
        }
        for (int i = 0; i < count; i++) data[i] *= stdev;
        return data;
    }

    /// <summary>at::uniform_real_distribution&lt;float&gt;(0, 1): the low 24 bits of a 32-bit draw, times 2⁻²⁴.</summary>
    private float Uniform() => (_engine.NextUInt32() & 0xFFFFFF) * (1f / 16777216f);

    private static void BoxMuller(Span<float> block)
    {
        for (int j = 0; j < 8; j++)
        {
            float u1 = 1 - block[j], u2 = block[j + 8];
            float radius = MathF.Sqrt(-2 * MathF.Log(u1)), theta = 2f * MathF.PI * u2;
            block[j] = radius * MathF.Cos(theta);
            block[j + 8] = radius * MathF.Sin(theta);
        }
    }
}
