using Lending.Api.Auth;
using Lending.Api.Collections;
using Lending.Api.Loans.Payments;
using Lending.Domain;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Domain.Restructuring;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Loans;

/// <summary>A complaint against collection conduct, as lodged and (once) resolved.</summary>
public sealed record ComplaintResponse(Guid ComplaintId, string Category, string Description, string Status, string LodgedBy,
    DateTimeOffset LodgedAt, string? Resolution, string? ResolvedBy, DateTimeOffset? ResolvedAt)
{
    public static IReadOnlyList<ComplaintResponse> From(IEnumerable<object> events)
    {
        var complaints = new Dictionary<Guid, ComplaintResponse>();
        foreach (var e in events)
            switch (e)
            {
                case ComplaintLodged l:
                    complaints[l.ComplaintId] = new(l.ComplaintId, l.Category, l.Description, "open", l.LodgedBy, l.RecordedAt, null, null, null);
                    break;
                case ComplaintResolved r when complaints.TryGetValue(r.ComplaintId, out var c):
                    complaints[r.ComplaintId] = c with { Status = "resolved", Resolution = r.Resolution, ResolvedBy = r.ResolvedBy, ResolvedAt = r.RecordedAt };
                    break;
            }
        return complaints.Values.ToList();
    }
}

/// <summary>A restructure request and its decision: who proposed it and why, who decided and with what reason.</summary>
public sealed record RestructureRequestResponse(Guid RequestId, string Status, RestructureTerms Terms, string Reason, IReadOnlyList<string> Documents,
    string ProposedBy, DateTimeOffset ProposedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionReason)
{
    public static IReadOnlyList<RestructureRequestResponse> From(IEnumerable<object> events)
    {
        var requests = new Dictionary<Guid, RestructureRequestResponse>();
        foreach (var e in events)
            switch (e)
            {
                case RestructureRequested r:
                    requests[r.RequestId] = new(r.RequestId, "pending", r.Terms, r.Reason, r.Documents, r.ProposedBy, r.RecordedAt, null, null, null);
                    break;
                case LoanRestructured a when requests.TryGetValue(a.RequestId, out var q):
                    requests[a.RequestId] = q with { Status = "approved", DecidedBy = a.ApprovedBy, DecidedAt = a.RecordedAt, DecisionReason = a.Note };
                    break;
                case RestructureRejected j when requests.TryGetValue(j.RequestId, out var q):
                    requests[j.RequestId] = q with { Status = "rejected", DecidedBy = j.RejectedBy, DecidedAt = j.RecordedAt, DecisionReason = j.Reason };
                    break;
            }
        return requests.Values.ToList();
    }
}

/// <summary>The records a <c>201</c> points at: one payment, contact, complaint or restructure request of a loan.</summary>
public static class LoanRecordEndpoints
{
    private static async Task<IReadOnlyList<object>> Events(IQuerySession session, Guid loanId, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(loanId, token: ct);
        return events.Count == 0 ? throw LoanReads.NotFound(loanId) : events.Select(e => e.Data).ToList();
    }

    private static LendingRuleViolated Missing(string what, object id, Guid loanId) =>
        new($"{what}.not_found", $"Loan {loanId} has no {what.Replace('_', ' ')} {id}.", RefusalKind.NotFound);

    [WolverineGet("/loans/{loanId}/payments/{reference}", OperationId = "GetPayment")]
    [Authorize(Roles = Roles.Anyone)]
    [Tags("Payments")]
    [ProducesResponseType<PaymentResponse>(StatusCodes.Status200OK)]
    public static async Task<PaymentResponse> GetPayment(Guid loanId, string reference, IQuerySession session, CancellationToken ct)
    {
        var events = await Events(session, loanId, ct);
        // A reference may hold a '/', which stays escaped (%2F) in a route value.
        reference = Uri.UnescapeDataString(reference);
        var payment = events.OfType<PaymentReceived>().FirstOrDefault(p => p.Reference == reference) ?? throw Missing("payment", reference, loanId);
        return PaymentResponse.From(payment, events.OfType<LedgerRefigured>().FirstOrDefault(r => r.Reference == reference));
    }

    [WolverineGet("/loans/{loanId}/contacts/{contactId}", OperationId = "GetContact")]
    [Authorize(Roles = Roles.CaseHandlers)]
    [Tags("Collections")]
    [ProducesResponseType<ContactResponse>(StatusCodes.Status200OK)]
    public static async Task<ContactResponse> GetContact(Guid loanId, Guid contactId, IQuerySession session, CancellationToken ct) =>
        ContactHistory.From(await Events(session, loanId, ct)).FirstOrDefault(c => c.ContactId == contactId)
        ?? throw Missing("contact", contactId, loanId);

    [WolverineGet("/loans/{loanId}/complaints/{complaintId}", OperationId = "GetComplaint")]
    [Authorize(Roles = Roles.CaseHandlers)]
    [Tags("Collections")]
    [ProducesResponseType<ComplaintResponse>(StatusCodes.Status200OK)]
    public static async Task<ComplaintResponse> GetComplaint(Guid loanId, Guid complaintId, IQuerySession session, CancellationToken ct) =>
        ComplaintResponse.From(await Events(session, loanId, ct)).FirstOrDefault(c => c.ComplaintId == complaintId)
        ?? throw Missing("complaint", complaintId, loanId);

    [WolverineGet("/loans/{loanId}/restructure-requests/{requestId}", OperationId = "GetRestructureRequest")]
    [Authorize(Roles = Roles.CaseHandlers)]
    [Tags("Restructuring")]
    [ProducesResponseType<RestructureRequestResponse>(StatusCodes.Status200OK)]
    public static async Task<RestructureRequestResponse> GetRestructureRequest(Guid loanId, Guid requestId, IQuerySession session,
        CancellationToken ct) =>
        RestructureRequestResponse.From(await Events(session, loanId, ct)).FirstOrDefault(r => r.RequestId == requestId)
        ?? throw Missing("restructure_request", requestId, loanId);
}
