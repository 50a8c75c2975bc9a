using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Setup;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Payments;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Marten;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;
using Lending.Projections.Loans;

namespace Lending.Api.Loans.Payments;

/// <summary>The body of <c>POST /loans/{id}/payments</c>.</summary>
public sealed record RecordPaymentRequest(decimal? Amount, DateOnly? PaidOn, string? Reference);

/// <summary>What re-figuring the loan from a value-dated payment's value date changed (see docs/ledger.md).</summary>
public sealed record RefiguredResponse(decimal PenaltyReversed, decimal FeesReversed, IReadOnlyList<string> PaymentsReallocated,
    IReadOnlyList<Guid> PromisesKept, bool PlanBreachWithdrawn)
{
    public static RefiguredResponse? From(LedgerRefigured? r) => r is null ? null
        : new(r.PenaltyReversed, r.FeesReversed, r.Reallocations.Select(x => x.Reference).ToList(), r.PromisesKept, r.PlanBreachWithdrawn);
}

/// <summary>How a payment was allocated (API.md); <see cref="Refigured"/> when its value date re-figured the loan.</summary>
public sealed record PaymentResponse(
    string Reference, decimal Amount, DateOnly PaidOn, decimal Penalty, decimal Fees, decimal Interest, decimal Principal,
    decimal Overpayment, bool Recovery, IReadOnlyList<AllocationLine> Lines, RefiguredResponse? Refigured = null)
{
    public static PaymentResponse From(PaymentReceived p, LedgerRefigured? refigured = null) =>
        new(p.Reference, p.Amount, p.PaidOn, p.Penalty, p.Fees, p.Interest, p.Principal, p.Overpayment, p.Recovery, p.Lines,
            RefiguredResponse.From(refigured));
}

public static class RecordPaymentEndpoint
{
    public const int MaxReferenceLength = 100;

    public static ProblemDetails Validate(RecordPaymentRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Amount is null) errors["amount"] = ["The amount is required."];
        if (string.IsNullOrWhiteSpace(request.Reference)) errors["reference"] = ["The payer's reference is required: it makes retries safe."];
        else if (request.Reference.Length > MaxReferenceLength) errors["reference"] = [$"At most {MaxReferenceLength} characters."];
        return errors.Count > 0 ? Problems.Invalid(errors) : WolverineContinue.NoProblems;
    }

    public static ProblemDetails Before([FromHeader(Name = "If-Match")] string? ifMatch, Loan loan) => IfMatch.Check(ifMatch, loan);

    [WolverinePost("/loans/{loanId}/payments", OperationId = "RecordPayment")]
    [Authorize(Roles = Roles.Collector + "," + Roles.Supervisor + "," + Roles.Admin)]
    [Tags("Payments")]
    [ProducesResponseType(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<PaymentResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<PaymentResponse>(StatusCodes.Status200OK)]
    public static async Task<(IResult, Events)> Post(RecordPaymentRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, BucketPolicy buckets, PaymentPolicy policy, ClaimsPrincipal user, TimeProvider clock, IDocumentSession session,
        PaymentReferences references, CancellationToken ct)
    {
        var actor = user.AsCollectionsActor();
        CollectionsDecisions.EnsureActsOn(loan, actor); // before answering a replay: a collector sees only their loans' payments
        var command = new RecordPayment(request.Reference!.Trim(), request.Amount!.Value, request.PaidOn ?? today.Date);

        // The same reference again is the same payment: answer with the original allocation and credit nothing.
        if (PaymentDecisions.Duplicate(command, loan) is not null)
            return (Results.Ok(PaymentResponse.From(await OriginalAsync(session, references, loan.Id, command.Reference, ct))), []);

        // A value-dated payment re-figures the loan from its value date: the decision reads the loan's history.
        var history = command.PaidOn < today.Date
            ? (await session.Events.FetchStreamAsync(loan.Id, token: ct)).Select(e => (ILoanEvent)e.Data).ToList()
            : null;
        var events = PaymentDecisions.Decide(command, loan, today.Date, buckets, actor, clock.GetUtcNow(), policy, history);
        var payment = events.OfType<PaymentReceived>().Single();
        return (Results.Created($"/loans/{loan.Id}/payments/{Uri.EscapeDataString(payment.Reference)}",
                PaymentResponse.From(payment, events.OfType<LedgerRefigured>().SingleOrDefault())),
            [.. events]);
    }

    /// <summary>
    /// The event that first used a reference on the loan, found by its row in the payment references; from the loan's
    /// stream for a payment whose row is not written yet (booked before the table existed, see
    /// <see cref="PaymentReferenceBackfill"/>).
    /// </summary>
    private static async Task<PaymentReceived> OriginalAsync(IDocumentSession session, PaymentReferences references, Guid loanId,
        string reference, CancellationToken ct)
    {
        if ((await session.QueryAsync<Guid>(references.EventOf, ct, loanId, reference)).SingleOrDefault() is var id && id != Guid.Empty
            && await session.Events.LoadAsync(id, ct) is { Data: PaymentReceived recorded })
            return recorded;
        return (await session.Events.FetchStreamAsync(loanId, token: ct)).Select(e => e.Data).OfType<PaymentReceived>()
            .First(p => p.Reference == reference);
    }
}
