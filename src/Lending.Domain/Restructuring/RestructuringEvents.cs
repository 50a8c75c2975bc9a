using System.Text.Json.Serialization;
using Lending.Domain.Loans;

namespace Lending.Domain.Restructuring;

/// <summary>Restructuring types (协商还款) of DOMAIN.md.</summary>
public enum RestructureType
{
    /// <summary>延期: shift the open instalments' due dates by N periods.</summary>
    Extension,
    /// <summary>分期: spread everything unpaid over N new instalments.</summary>
    InstallmentPlan,
    /// <summary>减免罚息/费用: waive penalty (then fees) up to an amount.</summary>
    PenaltyWaiver,
    /// <summary>Re-amortize the instalments not yet due at a lower rate.</summary>
    RateReduction,
    /// <summary>A lump sum that, once paid, closes the loan with the rest forgiven.</summary>
    Settlement,
}

public sealed record RestructureTerms(RestructureType Type, int? Periods, decimal? NewRate, decimal? WaiveAmount, decimal? SettlementAmount);

/// <summary>A restructure proposed (maker), with the borrower's reason and supporting documents noted.</summary>
public sealed record RestructureRequested(
    Guid LoanId, Guid RequestId, RestructureTerms Terms, string Reason, IReadOnlyList<string> Documents, string ProposedBy,
    DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILoanEvent;

public sealed record RestructureRejected(Guid LoanId, Guid RequestId, string Reason, string RejectedBy, DateTimeOffset RecordedAt,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>
/// A new instalment of a restructured schedule, carrying what it owes. Its interest is owed from the day after
/// <see cref="PeriodStart"/>, except <see cref="InterestCarried"/>: interest already owed before the restructure, moved
/// here and owed all along (so a restructure never lowers the payoff amount unless it says so).
/// </summary>
public sealed record RestructuredInstallment(int Number, DateOnly DueDate, decimal Principal, decimal Interest, decimal Penalty, decimal Fees,
    DateOnly? PeriodStart = null, decimal InterestCarried = 0m);

/// <summary>
/// The restructure approved (checker, a supervisor other than the proposer). <see cref="Replaced"/> instalments are closed
/// at what was paid on them and <see cref="Installments"/> take over what they still owed; penalty or fees waived are
/// in <see cref="Waived"/>. The stage at approval is kept: a plan breach escalates back to it at least.
/// <see cref="InterestReleased"/> is the running period's interest for the days after approval, which the new schedule
/// charges again from the approval date: released so that no day's interest is charged twice.
/// </summary>
public sealed record LoanRestructured(
    Guid LoanId, Guid RequestId, RestructureType Type, IReadOnlyList<int> Replaced, IReadOnlyList<RestructuredInstallment> Installments,
    IReadOnlyList<WaiverLine> Waived, EscalationStage StageAtRestructure, string ApprovedBy, DateTimeOffset RecordedAt,
    DateOnly BusinessDate, decimal? SettlementAmount = null, decimal InterestReleased = 0m, string? Note = null) : ILoanEvent;

/// <summary>
/// The agreed settlement was paid: the loan is closed and the rest of the balance forgiven. <see cref="Forgiven"/> is what
/// was owed on the settlement date beyond the amount paid, never interest of periods that had not begun.
/// </summary>
public sealed record LoanSettled(Guid LoanId, DateOnly SettledOn, decimal SettlementAmount, decimal Forgiven, DateOnly BusinessDate) : ILoanEvent;

public sealed record WaiverLine(int Installment, decimal Penalty, decimal Fees);

/// <summary>A restructured instalment passed grace unpaid: the plan is breached.</summary>
public sealed record PlanBreached(Guid LoanId, int Installment, int DaysPastDue, DateOnly BusinessDate) : ILoanEvent;

public sealed record PendingRestructure(Guid RequestId, RestructureTerms Terms, string ProposedBy, DateOnly ProposedOn);

/// <summary>The restructuring side of a loan.</summary>
public sealed record RestructuringState(
    PendingRestructure? Pending,
    bool Restructured,
    EscalationStage StageAtRestructure,
    int FirstRestructuredInstallment,
    bool PlanBreached,
    decimal? SettlementAmount = null,
    decimal SettlementPaid = 0m,
    bool EpisodeBreached = false,
    int Breaches = 0)
{
    public static readonly RestructuringState None = new(null, false, EscalationStage.None, 0, false);
}
