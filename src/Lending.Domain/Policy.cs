namespace Lending.Domain;

/// <summary>
/// The service's policy numbers (configuration <c>Lending:Policy</c>): how far ahead a promise may be taken, how long a
/// restructure may run, how long a demand letter gives, how far a contact time may run ahead of the clock, and how a
/// work queue is ordered. The rules that use them are decisions; the numbers are a lender's choice, within bounds.
/// </summary>
public sealed class LendingPolicy
{
    public static readonly LendingPolicy Default = new();

    /// <summary>Longest promise to pay a collector may take, in days after the business date (1–365).</summary>
    public int MaxPromiseDays { get; init; } = 60;
    /// <summary>A contact's time may be this many minutes ahead of the clock (device clocks drift; 0–60).</summary>
    public int ContactClockSkewMinutes { get; init; } = 5;
    /// <summary>Longest extension, in periods (1–60).</summary>
    public int MaxExtensionPeriods { get; init; } = 12;
    /// <summary>Most instalments of an instalment plan (1–360).</summary>
    public int MaxPlanInstallments { get; init; } = 60;
    /// <summary>Days a demand letter gives the borrower to pay or call (1–90).</summary>
    public int DemandResponseDays { get; init; } = 15;
    /// <summary>Days after a rejected write-off before the ladder proposes it again, if the loan still qualifies (1–365).</summary>
    public int WriteOffReproposeDays { get; init; } = 30;
    /// <summary>Whether the ladder's automatic notices still go out once a case is filed (legal's choice; default: they stop).</summary>
    public bool NoticesAfterFiling { get; init; }
    public WorkQueueWeights WorkQueue { get; init; } = new();

    /// <summary>What is out of bounds, to refuse at start-up.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Within(string name, int value, int min, int max)
        {
            if (value < min || value > max) problems.Add($"Lending:Policy:{name} is {value}; it must be {min} to {max}.");
        }
        Within(nameof(MaxPromiseDays), MaxPromiseDays, 1, 365);
        Within(nameof(ContactClockSkewMinutes), ContactClockSkewMinutes, 0, 60);
        Within(nameof(MaxExtensionPeriods), MaxExtensionPeriods, 1, 60);
        Within(nameof(MaxPlanInstallments), MaxPlanInstallments, 1, 360);
        Within(nameof(DemandResponseDays), DemandResponseDays, 1, 90);
        Within(nameof(WriteOffReproposeDays), WriteOffReproposeDays, 1, 365);
        var w = WorkQueue;
        foreach (var (name, value) in new[]
                 {
                     (nameof(w.PerDayPastDue), w.PerDayPastDue), (nameof(w.MaxDayPoints), w.MaxDayPoints),
                     (nameof(w.PerThousandOutstanding), w.PerThousandOutstanding), (nameof(w.MaxBalancePoints), w.MaxBalancePoints),
                     (nameof(w.PerBrokenPromise), w.PerBrokenPromise), (nameof(w.PromiseDueToday), w.PromiseDueToday),
                     (nameof(w.NeverContacted), w.NeverContacted), (nameof(w.NotContactedRecently), w.NotContactedRecently),
                 })
            Within($"WorkQueue:{name}", value, 0, 1_000);
        Within("WorkQueue:RecentContactDays", w.RecentContactDays, 1, 90);
        return problems;
    }
}

/// <summary>
/// The additive work-queue score, so a collector can see why a loan is near the top (default: 1 point per day past due,
/// at most 180; 1 per 1,000 outstanding, at most 50; 20 per broken promise; 50 when a promise falls due today; 15 when
/// never contacted, 10 when not in the last 3 days).
/// </summary>
public sealed class WorkQueueWeights
{
    public int PerDayPastDue { get; init; } = 1;
    public int MaxDayPoints { get; init; } = 180;
    public int PerThousandOutstanding { get; init; } = 1;
    public int MaxBalancePoints { get; init; } = 50;
    public int PerBrokenPromise { get; init; } = 20;
    public int PromiseDueToday { get; init; } = 50;
    public int NeverContacted { get; init; } = 15;
    public int NotContactedRecently { get; init; } = 10;
    public int RecentContactDays { get; init; } = 3;
}
