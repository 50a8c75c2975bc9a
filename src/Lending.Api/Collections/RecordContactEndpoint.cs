using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace Lending.Api.Collections;

public sealed record ContactResponse(
    Guid ContactId, ContactChannel Channel, ContactDirection Direction, ContactParty Party, ContactOutcome Outcome,
    DateTimeOffset OccurredAt, string Summary, string Agent, DateTimeOffset RecordedAt, PromiseResponse? Promise,
    OverrideResponse? Override);

public sealed record PromiseResponse(Guid PromiseId, decimal Amount, DateOnly DueOn);

public sealed record OverrideResponse(IReadOnlyList<string> Rules, string Reason, string OverriddenBy);

/// <summary>
/// <c>POST /loans/{id}/contacts</c>: every attempt is recorded, answered or not, after the conduct guard of the loan's
/// profile; a refusal is 422 naming the rules, which only a supervisor may override with a written reason.
/// </summary>
public static class RecordContactEndpoint
{
    public static ProblemDetails Validate(RecordContactRequest request) => request.Validate();

    [WolverinePost("/loans/{loanId}/contacts", OperationId = "RecordContact")]
    [Authorize(Roles = Roles.Collector + "," + Roles.SupervisorOrAdmin)]
    [Tags("Collections")]
    [ProducesResponseType<ContactResponse>(StatusCodes.Status201Created)]
    public static (IResult, Events) Post(RecordContactRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ConductPolicy policy, LendingPolicy limits, ClaimsPrincipal user, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var events = CollectionsDecisions.RecordContact(loan, request.ToCommand(), policy, user.AsCollectionsActor(),
            Guid.CreateVersion7(now), Guid.CreateVersion7(now), today.Date, now, limits);
        var contact = ContactHistory.From(events).Single();
        return (Results.Created($"/loans/{loan.Id}/contacts/{contact.ContactId}", contact), [.. events]);
    }
}

/// <summary>Reads contact records back from a loan's events, with the promise and override each one carried.</summary>
public static class ContactHistory
{
    public static IReadOnlyList<ContactResponse> From(IEnumerable<object> events)
    {
        var list = events.ToList();
        var promises = list.OfType<PromiseToPayMade>().ToDictionary(p => p.ContactId);
        var overrides = list.OfType<ConductRuleOverridden>().ToDictionary(o => o.ContactId);
        return list.OfType<ContactRecorded>().Select(c => new ContactResponse(c.ContactId, c.Channel, c.Direction, c.Party, c.Outcome,
            c.OccurredAt, c.Summary, c.Agent, c.RecordedAt,
            promises.TryGetValue(c.ContactId, out var p) ? new PromiseResponse(p.PromiseId, p.Amount, p.DueOn) : null,
            overrides.TryGetValue(c.ContactId, out var o) ? new OverrideResponse(o.Rules, o.Reason, o.OverriddenBy) : null)).ToList();
    }
}
