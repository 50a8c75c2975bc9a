using Lending.Api.Setup;
using Lending.Domain.Collections;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Collections;

public sealed record PromiseRequest(decimal? Amount, DateOnly? DueOn);

public sealed record OverrideRequest(string? Reason);

/// <summary>The body of <c>POST /loans/{id}/contacts</c> (API.md "Collections").</summary>
public sealed record RecordContactRequest(
    ContactChannel? Channel,
    ContactDirection? Direction,
    ContactParty? Party,
    ContactOutcome? Outcome,
    DateTimeOffset? OccurredAt,
    string? Summary,
    PromiseRequest? Promise,
    OverrideRequest? Override)
{
    public ProblemDetails Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Channel is null) errors["channel"] = ["phone, sms, email, letter, visit or app."];
        if (Direction is null) errors["direction"] = ["outbound or inbound."];
        if (Party is null) errors["party"] = ["borrower, guarantor or third_party."];
        if (Outcome is null) errors["outcome"] = ["The outcome of the attempt is required, answered or not."];
        if (OccurredAt is null) errors["occurredAt"] = ["When the contact happened, with its offset."];
        if (string.IsNullOrWhiteSpace(Summary)) errors["summary"] = ["A summary is required: it becomes evidence."];
        if (Outcome == ContactOutcome.PromiseToPay && (Promise?.Amount is null || Promise.DueOn is null))
            errors["promise"] = ["A promise to pay needs an amount and a dueOn date."];
        if (Outcome != ContactOutcome.PromiseToPay && Promise is not null)
            errors["promise"] = ["A promise goes with the outcome promise_to_pay."];
        if (Override is not null && string.IsNullOrWhiteSpace(Override.Reason)) errors["override.reason"] = ["An override needs a written reason."];
        return errors.Count > 0 ? Problems.Invalid(errors) : WolverineContinue.NoProblems;
    }

    public RecordContact ToCommand() => new(Channel!.Value, Direction!.Value, Party!.Value, Outcome!.Value, OccurredAt!.Value,
        Summary!.Trim(), Promise is { Amount: { } a, DueOn: { } d } ? new PromiseTerms(a, d) : null, Override?.Reason);
}

public sealed record LodgeComplaintRequest(string? Category, string? Description);

public sealed record ResolveComplaintRequest(string? Resolution);

public sealed record CeaseContactRequest(string? Reason);

public sealed record AssignLoanRequest(string? CollectorId, string? AgencyId, string? MediatorId);

internal static class Require
{
    public static ProblemDetails Text(string field, string? value, string message) =>
        string.IsNullOrWhiteSpace(value) ? Problems.Invalid(new Dictionary<string, string[]> { [field] = [message] }) : WolverineContinue.NoProblems;
}
