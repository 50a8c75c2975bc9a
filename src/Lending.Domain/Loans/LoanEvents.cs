using Lending.Domain.Loans.Schedules;
using Lending.Domain.Products;

namespace Lending.Domain.Loans;

/// <summary>
/// Every event of a loan's stream names the business date it was booked on: <c>GET /loans/{id}?asOf=</c> folds the
/// events booked up to that date, which is what the service knew at the end of it.
/// </summary>
public interface ILoanEvent
{
    Guid LoanId { get; }
    DateOnly BusinessDate { get; }
}

/// <summary>
/// Starts a loan's stream. Carries a snapshot of the product terms: the contract is what was agreed on
/// the day, whatever the product says later.
/// </summary>
public sealed record LoanDisbursed(
    Guid LoanId,
    string ProductCode,
    ProductTerms Terms,
    Borrower Borrower,
    decimal Principal,
    string Currency,
    DateOnly DisbursedOn,
    string? Region,
    string? Branch,
    string DisbursedBy,
    DateTimeOffset RecordedAt,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>The repayment schedule in force from <see cref="BusinessDate"/>: at disbursement, or after a restructure.</summary>
public sealed record RepaymentScheduleSet(
    Guid LoanId,
    IReadOnlyList<ScheduledInstallment> Installments,
    string Reason,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>What one payment settled on one instalment; a fully prepaid future instalment's interest is waived.</summary>
public sealed record AllocationLine(int Installment, decimal Penalty, decimal Fees, decimal Interest, decimal Principal, decimal InterestWaived)
{
    public decimal Total => Penalty + Fees + Interest + Principal;
}

/// <summary>
/// A payment and how the waterfall allocated it (a <see cref="Recovery"/> when the loan had been written off). The allocation is decided once and recorded, so replaying the
/// stream never re-runs (and never changes) the arithmetic.
/// </summary>
public sealed record PaymentReceived(
    Guid LoanId,
    string Reference,
    decimal Amount,
    DateOnly PaidOn,
    IReadOnlyList<AllocationLine> Lines,
    decimal Overpayment,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    DateOnly BusinessDate,
    bool Recovery = false) : ILoanEvent
{
    public decimal Penalty => Lines.Sum(l => l.Penalty);
    public decimal Fees => Lines.Sum(l => l.Fees);
    public decimal Interest => Lines.Sum(l => l.Interest);
    public decimal Principal => Lines.Sum(l => l.Principal);
}

/// <summary>
/// One instalment's penalty of the day: <see cref="Accrued"/> = overdue principal × annual penalty rate / year basis
/// at full precision, <see cref="Amount"/> the whole cents booked (with the sub-cent remainder carried from earlier
/// days, see <see cref="Ledger.Installment.PenaltyCarry"/>). Null <see cref="Accrued"/>: booked before remainders were
/// carried, so the amount is the whole accrual.
/// </summary>
public sealed record PenaltyLine(int Installment, decimal OverduePrincipal, decimal Amount, decimal? Accrued = null);

/// <summary>Penalty interest (罚息) for one day past grace, on each instalment's overdue principal.</summary>
public sealed record PenaltyAccrued(
    Guid LoanId,
    decimal AnnualPenaltyRate,
    int YearBasis,
    IReadOnlyList<PenaltyLine> Lines,
    DateOnly BusinessDate) : ILoanEvent
{
    public decimal Amount => Lines.Sum(l => l.Amount);
}

/// <summary>
/// A period began, so its contractual interest is owed from this business date (the payoff amount includes it).
/// Recorded by close of business, so that everything a loan owes changes only through its events: projections
/// and time travel then agree with the ledger on every date.
/// </summary>
public sealed record InterestCharged(Guid LoanId, int Installment, decimal Amount, DateOnly DueDate, DateOnly BusinessDate) : ILoanEvent;

/// <summary>
/// The flat late fee (滞纳金), charged once when an instalment passes grace unpaid. Where the product counts fees towards
/// the rate cap, the part that would have taken the loan's borrowing cost over the cap is <see cref="Clipped"/>
/// (not charged): <see cref="Amount"/> + <see cref="Clipped"/> is the product's fee.
/// </summary>
public sealed record LateFeeCharged(Guid LoanId, int Installment, decimal Amount, DateOnly BusinessDate, decimal Clipped = 0m) : ILoanEvent;

/// <summary>The loan moved to another delinquency bucket, at close of business or on a payment.</summary>
public sealed record DelinquencyBucketChanged(
    Guid LoanId,
    DelinquencyBucket From,
    DelinquencyBucket To,
    int Dpd,
    string Reason,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>A supervisor paused the delinquency clock from the next day (a dispute, a disaster).</summary>
public sealed record DelinquencyPaused(Guid LoanId, string Reason, string PausedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILoanEvent;

/// <summary>The delinquency clock runs again from the day after <see cref="BusinessDate"/>.</summary>
public sealed record DelinquencyResumed(Guid LoanId, string ResumedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate, string? Note = null) : ILoanEvent;

/// <summary>Everything owed was paid: principal, interest, penalty and fees are all zero.</summary>
public sealed record LoanPaidOff(Guid LoanId, DateOnly PaidOffOn, decimal TotalPaid, DateOnly BusinessDate) : ILoanEvent;

/// <summary>One instalment's correction when a value-dated payment re-figured the loan: what accrued after the value date
/// only because the loan seemed unpaid (negative), or what the re-figured timeline accrues instead.</summary>
public sealed record LedgerAdjustment(int Installment, decimal Penalty, decimal PenaltyCarry, decimal Fees, bool? LateFeeCharged);

/// <summary>A later payment's allocation as it falls once the value-dated payment comes first.</summary>
public sealed record PaymentReallocation(string Reference, IReadOnlyList<AllocationLine> Lines, decimal Overpayment);

/// <summary>
/// A payment booked after its value date (<see cref="ValueDate"/>, the day the money arrived) re-figured the loan from
/// that day, as if it had been booked then: penalty and late fees that accrued only because it seemed unpaid are
/// reversed (<see cref="Adjustments"/>, deltas per instalment), later payments fall where they would have
/// (<see cref="Reallocations"/>), promises it covered in time count as kept (<see cref="PromisesKept"/>), and a plan
/// breach it would have prevented is withdrawn (<see cref="PlanBreachWithdrawn"/>). Nothing earlier is rewritten: this
/// event is the correction.
/// </summary>
public sealed record LedgerRefigured(
    Guid LoanId,
    string Reference,
    DateOnly ValueDate,
    IReadOnlyList<LedgerAdjustment> Adjustments,
    IReadOnlyList<PaymentReallocation> Reallocations,
    IReadOnlyList<Guid> PromisesKept,
    DateOnly BusinessDate,
    bool PlanBreachWithdrawn = false) : ILoanEvent
{
    public decimal PenaltyReversed => -Adjustments.Sum(a => a.Penalty);
    public decimal FeesReversed => -Adjustments.Sum(a => a.Fees);
}
