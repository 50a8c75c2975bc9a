namespace Lending.Api.Portfolio;

/// <summary>
/// Everything the generator draws, as pure functions of (seed, loan, date, purpose): the same seed gives the same
/// portfolio on any machine, in any order, however often a run is interrupted.
/// </summary>
public sealed class LoanPlan
{
    private readonly DateOnly[] _disbursedOn;
    private readonly Dictionary<DateOnly, List<int>> _byDate;

    public LoanPlan(int seed, int loans, DateOnly start, DateOnly end)
    {
        Seed = seed;
        var days = end.DayNumber - start.DayNumber + 1;
        // Disbursements spread evenly over the period; the last date books none (it is today).
        _disbursedOn = Enumerable.Range(0, loans).Select(i => start.AddDays((int)(Draw(i, -1).Unit(0) * Math.Max(1, days - 1)))).ToArray();
        _byDate = Enumerable.Range(0, loans).GroupBy(i => _disbursedOn[i]).ToDictionary(g => g.Key, g => g.ToList());
    }

    public int Seed { get; }

    public IReadOnlyList<int> DisbursedOn(DateOnly date) => _byDate.GetValueOrDefault(date, []);

    public IEnumerable<int> IndicesBookedThrough(DateOnly date) => Enumerable.Range(0, _disbursedOn.Length).Where(i => _disbursedOn[i] <= date);

    public int BookedThrough(DateOnly? date) => date is { } d ? _disbursedOn.Count(x => x <= d) : 0;

    public Guid LoanId(int index) => Draw(index, -2).Guid(0);

    public Draw Draw(int index, int day) => new(Seed, index, day);

    /// <summary>70% pay on time, 10% pay late and cure, 6% promise and break, 4% are restructured, 6% default, 4% prepay.</summary>
    public PortfolioGenerator.Profile ProfileOf(int index) => Draw(index, -3).Unit(0) switch
    {
        < 0.70 => PortfolioGenerator.Profile.OnTime,
        < 0.80 => PortfolioGenerator.Profile.LateCurer,
        < 0.86 => PortfolioGenerator.Profile.PromiseBreaker,
        < 0.90 => PortfolioGenerator.Profile.Restructured,
        < 0.96 => PortfolioGenerator.Profile.Defaulter,
        _ => PortfolioGenerator.Profile.Prepayer,
    };

    /// <summary>Days after its due date an instalment is paid: on-time payers now and then a few days late.</summary>
    public int LatenessOf(int index, int installment) => ProfileOf(index) switch
    {
        PortfolioGenerator.Profile.LateCurer => Draw(index, -4 - installment).Int(0, 5, 40),
        PortfolioGenerator.Profile.OnTime when Draw(index, -4 - installment).Chance(1, 0.05) => Draw(index, -4 - installment).Int(2, 1, 10),
        _ => 0,
    };

    public int PaidInstallmentsBeforeDefault(int index) => Draw(index, -5).Int(0, 0, 3);

    public int PrepayAfterDays(int index) => Draw(index, -6).Int(0, 10, 120);
}

/// <summary>A stable pseudo-random source for one (seed, loan, date): SplitMix64 of the key and a purpose number.</summary>
public readonly record struct Draw(int Seed, int Index, int Day)
{
    private ulong Next(int purpose)
    {
        var x = unchecked((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)Index * 0xBF58476D1CE4E5B9UL
            ^ (ulong)(uint)Day * 0x94D049BB133111EBUL ^ (ulong)(uint)purpose * 0xD6E8FEB86659FD93UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double Unit(int purpose) => (Next(purpose) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max].</summary>
    public int Int(int purpose, int min, int max) => min + (int)(Next(purpose) % (ulong)(max - min + 1));

    public int Int(int purpose, int max) => Int(purpose, 0, max);

    public bool Chance(int purpose, double p) => Unit(purpose) < p;

    public T Pick<T>(IReadOnlyList<T> items, int purpose) => items[Int(purpose, 0, items.Count - 1)];

    public T Pick<T>(double[] weights, IReadOnlyList<T> items)
    {
        var u = Unit(99) * weights.Sum();
        for (var i = 0; i < items.Count; i++) if ((u -= weights[i]) < 0) return items[i];
        return items[^1];
    }

    public Guid Guid(int purpose)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Next(purpose));
        BitConverter.TryWriteBytes(bytes[8..], Next(purpose + 1_000_000));
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
