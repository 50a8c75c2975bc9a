using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Litigation;
using Lending.Domain.Loans.Ledger;
using Lending.Domain.Restructuring;
using Lending.Domain.Products;

namespace Lending.Domain.Loans;

/// <summary>Days on which the delinquency clock stood still: from <see cref="From"/> through <see cref="Until"/>.</summary>
public sealed record PauseInterval(DateOnly From, DateOnly? Until)
{
    public bool Covers(DateOnly day) => day >= From && (Until is null || day <= Until);
}

/// <summary>
/// A loan as its events make it. Built only by <see cref="Evolve"/>; the same function serves the write model
/// (decisions), the inline read model and time travel (<see cref="AsOf"/>), so they can never disagree.
/// </summary>
public sealed record Loan(
    Guid Id,
    LoanStatus Status,
    string ProductCode,
    ProductTerms Terms,
    Borrower Borrower,
    decimal Principal,
    string Currency,
    DateOnly DisbursedOn,
    string? Region,
    string? Branch,
    IReadOnlyList<Installment> Installments,
    DelinquencyBucket Bucket,
    EscalationStage Stage,
    CollectionsState Collections,
    DateOnly? PenaltyAccruedThrough,
    IReadOnlyList<PauseInterval> Pauses,
    IReadOnlyList<PaymentAllocation> Payments,
    IReadOnlyList<string> CompletedActions,
    PendingWriteOff? PendingWriteOff,
    RestructuringState Restructuring,
    DateOnly? WrittenOffOn,
    decimal Overpaid,
    DateOnly? ClosedOn,
    DateOnly LastBusinessDate,
    int InterestChargedThrough = 0,
    DateOnly? WriteOffRejectedOn = null,
    IReadOnlyDictionary<string, DateTimeOffset>? HeldNotices = null,
    LitigationCase? Litigation = null,
    IReadOnlyDictionary<string, PaymentReallocation>? Reallocated = null)
{
    private static IReadOnlyDictionary<string, DateTimeOffset>? Without(IReadOnlyDictionary<string, DateTimeOffset>? held, string id) =>
        held is null || !held.ContainsKey(id) ? held : held.Where(x => x.Key != id).ToDictionary();

    /// <summary>
    /// The instalments, by due date. A loan document stored before instalments carried their period start gets them on
    /// load (each period from the previous due date, the first from disbursement).
    /// </summary>
    public IReadOnlyList<Installment> Installments { get; init; } =
        Installments.All(i => i.PeriodStart != default) ? Installments : Periods(Installments, DisbursedOn);

    /// <summary>
    /// The payments in booking order, each as it stands allocated now. A loan document stored when it kept every payment
    /// event, with re-allocations beside them (<see cref="Reallocated"/>), gets them applied on load.
    /// </summary>
    public IReadOnlyList<PaymentAllocation> Payments { get; init; } = Reallocated is null ? Payments
        : Payments.Select(p => Reallocated.GetValueOrDefault(p.Reference) is { } r ? p with { Lines = r.Lines, Overpayment = r.Overpayment } : p)
            .ToArray();

    /// <summary>Read from documents stored before payments held their current allocation; applied to <see cref="Payments"/>.</summary>
    public IReadOnlyDictionary<string, PaymentReallocation>? Reallocated { get; init; }

    /// <summary>Stream version this state was built from; set by the event store.</summary>
    public long Version { get; set; }

    public bool IsClosed => Status is LoanStatus.PaidOff or LoanStatus.Settled or LoanStatus.WrittenOff;

    public string? AssignedTo => Collections.Assignment?.AssigneeId;

    public bool IsPaused => Pauses.Count > 0 && Pauses[^1].Until is null;

    /// <summary>
    /// The schedule in force, by due date: every instalment except those a restructure replaced. <see cref="Installments"/>
    /// is kept in due-date order, so "oldest first" never depends on when an instalment was added.
    /// </summary>
    public IEnumerable<Installment> Schedule => Installments.Where(i => !i.Replaced);

    /// <summary>Due date of the oldest instalment with contractual principal or interest unpaid; null once nothing is owed.</summary>
    public DateOnly? OldestUnpaidDueDate => IsClosed ? null
        : Installments.Where(i => i.ContractualDue > 0m).Select(i => (DateOnly?)i.DueDate).Min();

    /// <summary>
    /// The earliest date close of business has something to do for this loan once it is past: arrears on the oldest
    /// unpaid instalment, or the open promise's date. Stored with the document and indexed: close of business for D
    /// visits only loans where this is before D.
    /// </summary>
    public DateOnly? CloseOfBusinessDueDate =>
        // Collection goes on after a write-off: a promise made then is kept or broken like any other.
        Status == LoanStatus.WrittenOff ? Collections.OpenPromise?.DueOn
        : IsClosed ? null
        : new[] { OldestUnpaidDueDate, Collections.OpenPromise?.DueOn, NextPeriodStart }.Where(d => d is not null).Min();

    /// <summary>
    /// The day before the first period whose interest is not yet charged begins (disbursement, or the previous due
    /// date): close of business visits the loan the next day to record <see cref="InterestCharged"/>.
    /// </summary>
    public DateOnly? NextPeriodStart => Schedule
        .Where(i => i.Number > InterestChargedThrough && i.InterestDue - i.CarriedInterestDue > 0m)
        .Select(i => (DateOnly?)i.PeriodStart).Min();

    public decimal PrincipalOutstanding => Installments.Sum(i => i.PrincipalDue);

    /// <summary>The payment booked under <paramref name="reference"/> as it stands allocated now; null if there is none.</summary>
    public PaymentAllocation? Payment(string reference) => Payments.FirstOrDefault(p => p.Reference == reference);

    public static Loan Disbursed(LoanDisbursed e) => new(
        e.LoanId, LoanStatus.Active, e.ProductCode, e.Terms, e.Borrower, e.Principal, e.Currency, e.DisbursedOn,
        e.Region, e.Branch, Installments: [], DelinquencyBucket.Current, EscalationStage.None, CollectionsState.Empty,
        PenaltyAccruedThrough: null, Pauses: [], Payments: [], CompletedActions: [], PendingWriteOff: null, Restructuring: RestructuringState.None, WrittenOffOn: null, Overpaid: 0m,
        ClosedOn: null, LastBusinessDate: e.BusinessDate);

    public static Loan Evolve(Loan? state, object @event)
    {
        if (state is null) return @event is LoanDisbursed d ? Disbursed(d) : throw new InvalidOperationException(
            $"A loan stream must start with {nameof(LoanDisbursed)}, not {@event.GetType().Name}.");

        var loan = @event is ILoanEvent le && le.BusinessDate > state.LastBusinessDate
            ? state with { LastBusinessDate = le.BusinessDate } : state;

        return @event switch
        {
            RepaymentScheduleSet s => loan with
            {
                Installments = Periods(s.Installments.OrderBy(i => i.DueDate).ThenBy(i => i.Number)
                    .Select(i => new Installment(i.Number, i.DueDate, i.Principal, i.Interest)), loan.DisbursedOn),
            },
            PaymentReceived p => loan with
            {
                Installments = Allocated(loan.Installments, p.Lines, 1),
                Payments = [.. loan.Payments, PaymentAllocation.Of(p)],
                Overpaid = loan.Overpaid + p.Overpayment,
                Collections = loan.Collections.PaymentReceived(p.Amount - p.Overpayment, p.PaidOn),
                Restructuring = loan.Restructuring.SettlementAmount is null ? loan.Restructuring
                    : loan.Restructuring with { SettlementPaid = loan.Restructuring.SettlementPaid + p.Amount - p.Overpayment },
            },
            LedgerRefigured r => Refigured(loan, r),
            PenaltyAccrued a => loan with
            {
                Installments = loan.Installments.Select(i => a.Lines.FirstOrDefault(l => l.Installment == i.Number) is { } l
                    ? i with
                    {
                        Penalty = i.Penalty + l.Amount,
                        PenaltyCarry = l.Accrued is null ? i.PenaltyCarry
                            : i.PenaltyCarry + l.OverduePrincipal * a.AnnualPenaltyRate - l.Amount * a.YearBasis,
                    }
                    : i).ToArray(),
                PenaltyAccruedThrough = a.BusinessDate,
            },
            InterestCharged c => loan with { InterestChargedThrough = Math.Max(loan.InterestChargedThrough, c.Installment) },
            LateFeeCharged f => loan with
            {
                Installments = loan.Installments.Select(i => i.Number == f.Installment
                    ? i with { Fees = i.Fees + f.Amount, LateFeeCharged = true } : i).ToArray(),
            },
            DelinquencyBucketChanged b => loan with
            {
                Bucket = b.To,
                Status = loan.Status is LoanStatus.Active or LoanStatus.Overdue
                    ? (b.To == DelinquencyBucket.Current ? LoanStatus.Active : LoanStatus.Overdue)
                    : loan.Status,
            },
            DelinquencyPaused p => loan with { Pauses = [.. loan.Pauses, new PauseInterval(p.BusinessDate.AddDays(1), null)] },
            DelinquencyResumed r => loan with { Pauses = [.. loan.Pauses.SkipLast(1), loan.Pauses[^1] with { Until = r.BusinessDate }] },
            LoanEscalated x => loan with { Stage = x.To },
            // A cure ends the delinquency episode: broken promises and a plan breach count again from zero.
            LoanCured => loan with
            {
                Stage = EscalationStage.None, Collections = loan.Collections.NewEpisode(),
                Restructuring = loan.Restructuring with { EpisodeBreached = false },
            },
            WriteOffProposed w => loan with
            {
                PendingWriteOff = new PendingWriteOff(w.ProposalId, w.ProposedBy, w.Dpd, w.TotalOutstanding, w.BusinessDate, w.MinDpd, w.Reason),
            },
            WriteOffRejected r => loan with { PendingWriteOff = null, WriteOffRejectedOn = r.BusinessDate },
            WriteOffWithdrawn => loan with { PendingWriteOff = null },
            RestructureRequested r => loan with
            {
                Restructuring = loan.Restructuring with { Pending = new(r.RequestId, r.Terms, r.ProposedBy, r.BusinessDate) },
            },
            RestructureRejected => loan with { Restructuring = loan.Restructuring with { Pending = null } },
            LoanRestructured r => Restructured(loan, r),
            LoanSettled o => loan with
            {
                Status = LoanStatus.Settled, ClosedOn = o.SettledOn, Bucket = DelinquencyBucket.Current, Stage = EscalationStage.None,
            },
            PlanBreached => loan with
            {
                Restructuring = loan.Restructuring with
                {
                    PlanBreached = true, EpisodeBreached = true, Breaches = Math.Max(loan.Restructuring.Breaches, 0) + 1,
                },
            },
            LoanWrittenOff w => loan with { Status = LoanStatus.WrittenOff, PendingWriteOff = null, WrittenOffOn = w.BusinessDate },
            NoticeSent n => loan with
            {
                CompletedActions = [.. loan.CompletedActions, n.NoticeId], Collections = loan.Collections.Apply(n),
                HeldNotices = Without(loan.HeldNotices, n.NoticeId),
            },
            NoticeHeld h => loan with
            {
                HeldNotices = new Dictionary<string, DateTimeOffset>(loan.HeldNotices ?? new Dictionary<string, DateTimeOffset>()) { [h.NoticeId] = h.Until },
            },
            NoticeSuppressed s => loan with
            {
                CompletedActions = [.. loan.CompletedActions, s.NoticeId], HeldNotices = Without(loan.HeldNotices, s.NoticeId),
            },
            LegalReferralMade r => loan with { CompletedActions = [.. loan.CompletedActions, r.ActionId] },
            // Closed loans keep their status: a case about a written-off loan is still a written-off loan.
            LitigationReviewOpened o => loan with { Litigation = LitigationCase.Opened(o), Status = loan.IsClosed ? loan.Status : LoanStatus.Litigation },
            ILitigationEvent e => Litigated(loan, loan.Litigation!.Evolve(e)),
            LoanPaidOff o => loan with
            {
                Status = LoanStatus.PaidOff, ClosedOn = o.PaidOffOn, Bucket = DelinquencyBucket.Current, Stage = EscalationStage.None,
            },
            _ => loan with { Collections = loan.Collections.Apply(@event) },
        };
    }

    /// <summary>While a case is open the loan's status is litigation; once it ends, what its ledger and restructuring make it.</summary>
    private static Loan Litigated(Loan loan, LitigationCase @case) => loan with
    {
        Litigation = @case,
        Status = loan.Status != LoanStatus.Litigation || @case.IsOpen ? loan.Status
            : loan.Restructuring.Restructured ? LoanStatus.Restructured
            : loan.Bucket == DelinquencyBucket.Current ? LoanStatus.Active : LoanStatus.Overdue,
    };

    /// <summary>Adds (sign 1) or takes back (sign −1) what allocation lines paid on each instalment.</summary>
    private static Installment[] Allocated(IReadOnlyList<Installment> installments, IReadOnlyList<AllocationLine> lines, int sign) =>
        installments.Select(i => lines.FirstOrDefault(l => l.Installment == i.Number) is { } l
            ? i with
            {
                PenaltyPaid = i.PenaltyPaid + sign * l.Penalty,
                FeesPaid = i.FeesPaid + sign * l.Fees,
                InterestPaid = i.InterestPaid + sign * l.Interest,
                PrincipalPaid = i.PrincipalPaid + sign * l.Principal,
                InterestWaived = i.InterestWaived + sign * l.InterestWaived,
            }
            : i).ToArray();

    private static Loan Refigured(Loan loan, LedgerRefigured r)
    {
        var installments = loan.Installments.Select(i => r.Adjustments.FirstOrDefault(a => a.Installment == i.Number) is { } a
            ? i with
            {
                Penalty = i.Penalty + a.Penalty, PenaltyCarry = i.PenaltyCarry + a.PenaltyCarry, Fees = i.Fees + a.Fees,
                LateFeeCharged = a.LateFeeCharged ?? i.LateFeeCharged,
            }
            : i).ToArray();
        var payments = loan.Payments.ToArray();
        var overpaid = loan.Overpaid;
        foreach (var moved in r.Reallocations)
        {
            var at = Array.FindIndex(payments, p => p.Reference == moved.Reference);
            var was = payments[at];
            installments = Allocated(Allocated(installments, was.Lines, -1), moved.Lines, 1);
            overpaid += moved.Overpayment - was.Overpayment;
            payments[at] = was with { Lines = moved.Lines, Overpayment = moved.Overpayment };
        }
        var collections = loan.Collections;
        foreach (var _ in r.PromisesKept)
            collections = collections with
            {
                BrokenPromises = collections.BrokenPromises - 1, KeptPromises = collections.KeptPromises + 1,
                EpisodeBrokenPromises = Math.Max(0, collections.EpisodeBrokenPromises - 1),
            };
        return loan with
        {
            Installments = installments, Payments = payments, Overpaid = overpaid, Collections = collections,
            Restructuring = r.PlanBreachWithdrawn
                ? loan.Restructuring with
                {
                    EpisodeBreached = false, Breaches = loan.Restructuring.Breaches - 1, PlanBreached = loan.Restructuring.Breaches > 1,
                }
                : loan.Restructuring,
        };
    }

    /// <summary>
    /// Each period without a start begins on the previous due date in force, the first on <paramref name="firstStart"/>;
    /// replaced instalments are left as they are.
    /// </summary>
    private static Installment[] Periods(IEnumerable<Installment> byDueDate, DateOnly firstStart)
    {
        var start = firstStart;
        return byDueDate.Select(i =>
        {
            if (i.Replaced) return i;
            var withStart = i.PeriodStart == default ? i with { PeriodStart = start } : i;
            start = i.DueDate;
            return withStart;
        }).ToArray();
    }

    private static Loan Restructured(Loan loan, LoanRestructured r)
    {
        var kept = loan.Installments.Select(i =>
        {
            var waived = r.Waived.FirstOrDefault(w => w.Installment == i.Number);
            if (waived is not null) i = i with { Penalty = i.Penalty - waived.Penalty, Fees = i.Fees - waived.Fees };
            // A replaced instalment is closed at what was paid on it; the new ones carry what it still owed.
            return r.Replaced.Contains(i.Number)
                ? i with
                {
                    Principal = i.PrincipalPaid, Interest = i.InterestPaid + i.InterestWaived, Penalty = i.PenaltyPaid, Fees = i.FeesPaid,
                    PenaltyCarry = 0m, Replaced = true,
                }
                : i;
        });
        // Events written before period starts were recorded: the first new period starts on the approval date.
        var start = r.BusinessDate;
        var added = r.Installments.OrderBy(n => n.DueDate).ThenBy(n => n.Number).Select(n =>
        {
            var i = new Installment(n.Number, n.DueDate, n.Principal, n.Interest, n.Penalty, n.Fees,
                PeriodStart: n.PeriodStart ?? start, InterestCarried: n.InterestCarried);
            start = n.DueDate;
            return i;
        });
        var installments = kept.Concat(added).OrderBy(i => i.DueDate).ThenBy(i => i.Number).ToArray();
        return loan with
        {
            Installments = installments,
            Status = loan.Status is LoanStatus.Active or LoanStatus.Overdue ? LoanStatus.Restructured : loan.Status,
            Restructuring = new RestructuringState(null, true, r.StageAtRestructure,
                r.Installments.Count == 0 ? loan.Restructuring.FirstRestructuredInstallment : r.Installments.Min(n => n.Number), false,
                r.SettlementAmount ?? loan.Restructuring.SettlementAmount, loan.Restructuring.SettlementPaid),
        };
    }

    /// <summary>
    /// The loan as the service knew it at the end of <paramref name="businessDate"/>: every event booked for that date
    /// or before, in stream order, including one written after an event of a later date (a payment accepted while the
    /// next date's close of business ran).
    /// </summary>
    public static Loan? AsOf(IEnumerable<object> events, DateOnly businessDate) =>
        events.Where(e => e is ILoanEvent le && le.BusinessDate <= businessDate)
            .Aggregate((Loan?)null, Evolve);
}
