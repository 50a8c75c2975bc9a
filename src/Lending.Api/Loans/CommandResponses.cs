using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Restructuring;

namespace Lending.Api.Loans;

/// <summary>The answers of commands that change a loan: named, so the OpenAPI document describes every one.</summary>
public sealed record ComplaintResolvedResponse(Guid ComplaintId, string Status, string Resolution, string ResolvedBy, DateTimeOffset ResolvedAt)
{
    public static ComplaintResolvedResponse From(ComplaintResolved r) => new(r.ComplaintId, "resolved", r.Resolution, r.ResolvedBy, r.RecordedAt);
}

public sealed record CeaseContactResponse(Guid LoanId, bool CeaseContact);

public sealed record AssignmentResponse(Guid LoanId, AssigneeKind Kind, string AssigneeId);

public sealed record DisputeVerificationResponse(Guid LoanId, bool DisputeUnverified, string Summary);

public sealed record DelinquencyPauseResponse(Guid LoanId, DateOnly PausedFrom, string Reason);

public sealed record DelinquencyResumeResponse(Guid LoanId, DateOnly ResumedFrom, string? Note);

/// <summary>An approved restructure: the new instalments and what the checker noted.</summary>
public sealed record RestructureApprovedResponse(Guid RequestId, string Status, RestructureType Type, IReadOnlyList<int> Replaced,
    IReadOnlyList<RestructuredInstallment> Installments, IReadOnlyList<WaiverLine> Waived, decimal InterestReleased, decimal? SettlementAmount,
    string ApprovedBy, string? Note)
{
    public static RestructureApprovedResponse From(LoanRestructured r) => new(r.RequestId, "approved", r.Type, r.Replaced, r.Installments,
        r.Waived, r.InterestReleased, r.SettlementAmount, r.ApprovedBy, r.Note);
}

public sealed record RestructureRejectedResponse(Guid RequestId, string Status, string Reason, string RejectedBy)
{
    public static RestructureRejectedResponse From(RestructureRejected r) => new(r.RequestId, "rejected", r.Reason, r.RejectedBy);
}

public sealed record WriteOffApprovedResponse(Guid LoanId, Guid ProposalId, decimal PrincipalWrittenOff, decimal InterestWrittenOff,
    decimal PenaltyWrittenOff, decimal FeesWrittenOff, string ApprovedBy, string? Note, DateOnly BusinessDate)
{
    public static WriteOffApprovedResponse From(LoanWrittenOff w) => new(w.LoanId, w.ProposalId, w.PrincipalWrittenOff, w.InterestWrittenOff,
        w.PenaltyWrittenOff, w.FeesWrittenOff, w.ApprovedBy, w.Note, w.BusinessDate);
}

public sealed record WriteOffRejectedResponse(Guid LoanId, Guid ProposalId, string Reason, string RejectedBy, DateOnly BusinessDate)
{
    public static WriteOffRejectedResponse From(WriteOffRejected r) => new(r.LoanId, r.ProposalId, r.Reason, r.RejectedBy, r.BusinessDate);
}
