namespace DiffOp.Environments.Voltage;

/// <summary>
/// A bit-exact reproduction of the draws of numpy's legacy <c>RandomState(seed)</c> that the voltage
/// scenarios use (docs/environments-voltage.md), written from the published MT19937 algorithm (Matsumoto &amp;
/// Nishimura 1998): seeding by init_genrand, the 624-word twist, standard tempering, and numpy's
/// conversions for <c>choice([0, 1])</c> and <c>uniform(a, b)</c>.
/// </summary>
/// <remarks>Allocation-free after construction; not thread-safe.</remarks>
public sealed class NumpyRandomState
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908B0DFu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7FFFFFFFu;

    private readonly uint[] _mt = new uint[N];
    private int _index;

    /// <summary>Seeds the generator like numpy's <c>RandomState(seed)</c> for an integer seed.</summary>
    /// <param name="seed">Seed in [0, 2³² − 1] (numpy rejects negative seeds).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative or above 2³² − 1.</exception>
    public NumpyRandomState(long seed)
    {
        if (seed < 0 || seed > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "A RandomState seed must be in [0, 2^32 - 1], as in numpy.");
        }

        Seed((uint)seed);
    }

    /// <summary>
    /// Re-seeds in place by init_genrand: mt[0] = seed, mt[i] = 1812433253·(mt[i−1] ^ (mt[i−1] &gt;&gt; 30)) + i
    /// (mod 2³²); the next output then triggers a twist.
    /// </summary>
    /// <param name="seed">The 32-bit seed.</param>
    public void Seed(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < N; i++)
        {
            uint prev = _mt[i - 1];
            _mt[i] = unchecked((1812433253u * (prev ^ (prev >> 30))) + (uint)i);
        }

        _index = N;
    }

    /// <summary>The next tempered 32-bit output of MT19937 (numpy's <c>random_uint32</c>).</summary>
    /// <returns>A uniformly distributed 32-bit value.</returns>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }

        uint y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// numpy's <c>random_sample()</c>: a double in [0, 1) with 53 random bits built from two consecutive
    /// outputs a, b as ((a &gt;&gt; 5)·67108864 + (b &gt;&gt; 6)) / 2⁵³.
    /// </summary>
    /// <returns>A uniform double in [0, 1).</returns>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary>numpy's legacy <c>uniform(low, high)</c> = low + (high − low)·<see cref="NextDouble"/>.</summary>
    /// <param name="low">Lower end.</param>
    /// <param name="high">Upper end.</param>
    /// <returns>A uniform draw between <paramref name="low"/> and <paramref name="high"/>.</returns>
    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>
    /// numpy's legacy <c>choice([0, 1])</c> (uniform, with replacement, one element): a bounded integer
    /// draw on [0, 1] with mask 1, i.e. the lowest bit of one 32-bit output.
    /// </summary>
    /// <returns>0 or 1.</returns>
    public int ChooseZeroOrOne() => (int)(NextUInt32() & 1u);

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_mt[i] & UpperMask) | (_mt[(i + 1) % N] & LowerMask);
            uint next = _mt[(i + M) % N] ^ (y >> 1);
            if ((y & 1u) != 0)
            {
                next ^= MatrixA;
            }

            _mt[i] = next;
        }

        _index = 0;
    }
}
