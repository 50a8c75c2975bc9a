using Lending.Domain.Loans;

namespace Lending.Domain.Collections;

public sealed record PromiseTerms(decimal Amount, DateOnly DueOn);

/// <summary>Record a contact attempt; <see cref="OverrideReason"/> is a supervisor's written reason to pass the guard.</summary>
public sealed record RecordContact(
    ContactChannel Channel,
    ContactDirection Direction,
    ContactParty Party,
    ContactOutcome Outcome,
    DateTimeOffset OccurredAt,
    string Summary,
    PromiseTerms? Promise,
    string? OverrideReason);

/// <summary>Who is acting, as far as collections rules care.</summary>
public sealed record CollectionsActor(string Id, bool IsSupervisor);

public static class CollectionsDecisions
{
    /// <summary>Collectors act on the loans assigned to them; supervisors (and admins) on any.</summary>
    public static void EnsureActsOn(Loan loan, CollectionsActor actor)
    {
        if (actor.IsSupervisor) return;
        if (loan.Collections.Assignment is not { Kind: AssigneeKind.Collector } a || a.AssigneeId != actor.Id)
            throw new LendingRuleViolated("loan.not_assigned_to_you", $"Loan {loan.Id} is not in your queue.", RefusalKind.Forbidden);
    }

    /// <param name="limits">Promise horizon and contact clock skew (<see cref="LendingPolicy"/>; its defaults when null).</param>
    public static IReadOnlyList<ILoanEvent> RecordContact(Loan loan, RecordContact cmd, ConductPolicy policy, CollectionsActor actor,
        Guid contactId, Guid promiseId, DateOnly businessDate, DateTimeOffset now, LendingPolicy? limits = null)
    {
        limits ??= LendingPolicy.Default;
        EnsureActsOn(loan, actor);
        if (loan.Status is LoanStatus.PaidOff or LoanStatus.Settled && cmd.Direction == ContactDirection.Outbound)
            throw new LendingRuleViolated("contact.loan_closed", $"The loan is {loan.Status}: there is nothing to collect.", RefusalKind.Conflict);
        if (InFuture(cmd.OccurredAt, loan.Borrower.TimeZone, businessDate, now, limits))
            throw new LendingRuleViolated("contact.in_future",
                $"A contact is recorded once it has happened: {cmd.OccurredAt:O} is after the business date {businessDate:yyyy-MM-dd} " +
                "in the borrower's time zone, or ahead of the clock.");

        var broken = ConductGuard.Check(loan.Terms.ConductProfile, policy, loan.Collections,
            TimeZoneInfo.FindSystemTimeZoneById(loan.Borrower.TimeZone),
            new ProposedContact(cmd.Channel, cmd.Direction, cmd.Party, cmd.OccurredAt));

        var events = new List<ILoanEvent>();
        if (broken.Count > 0)
        {
            if (string.IsNullOrWhiteSpace(cmd.OverrideReason)) throw new ConductRefused(broken);
            if (!actor.IsSupervisor)
                throw new LendingRuleViolated("conduct.override_not_allowed", "Only a supervisor may override the conduct guard.", RefusalKind.Forbidden);
            events.Add(new ConductRuleOverridden(loan.Id, contactId, broken, cmd.OverrideReason.Trim(), actor.Id, now, businessDate));
        }

        events.Add(new ContactRecorded(loan.Id, contactId, cmd.Channel, cmd.Direction, cmd.Party, cmd.Outcome, cmd.OccurredAt,
            cmd.Summary, actor.Id, now, businessDate));

        if (cmd.Outcome == ContactOutcome.PromiseToPay)
        {
            var promise = cmd.Promise ?? throw new LendingRuleViolated("promise.terms_required", "A promise to pay needs an amount and a date.");
            if (promise.Amount <= 0m || !Money.HasAtMostTwoDecimals(promise.Amount))
                throw new LendingRuleViolated("promise.amount_invalid", "The promised amount must be positive, in cents.");
            if (promise.DueOn < businessDate || promise.DueOn > businessDate.AddDays(limits.MaxPromiseDays))
                throw new LendingRuleViolated("promise.date_out_of_range",
                    $"The promise date must be between {businessDate:yyyy-MM-dd} and {limits.MaxPromiseDays} days later.");
            // One open promise per loan: a new one supersedes the old.
            if (loan.Collections.OpenPromise is { } open)
                events.Add(new PromiseSuperseded(loan.Id, open.PromiseId, promiseId, businessDate));
            events.Add(new PromiseToPayMade(loan.Id, promiseId, contactId, promise.Amount, promise.DueOn, actor.Id, businessDate));
        }
        return events;
    }

    /// <summary>
    /// One clock story: lending logic runs on the business date, so "in the future" means after the end of the business
    /// date in the borrower's zone, even when the business date runs ahead of the wall clock (demo, tests, a service
    /// catching up). While the business date is not ahead of the clock, a time later than the clock (beyond the policy's
    /// skew) has not happened yet either.
    /// </summary>
    public static bool InFuture(DateTimeOffset at, string timeZone, DateOnly businessDate, DateTimeOffset now, LendingPolicy limits)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var nextDay = businessDate.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var endOfBusinessDate = new DateTimeOffset(nextDay, zone.GetUtcOffset(nextDay));
        if (at >= endOfBusinessDate) return true;
        var clockDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return businessDate <= clockDate && at > now.AddMinutes(limits.ContactClockSkewMinutes);
    }

    /// <summary>After a payment: the open promise is kept once payments since it was made cover it.</summary>
    public static PromiseKept? PromiseKeptBy(Loan afterPayment, DateOnly businessDate) =>
        afterPayment.Collections.OpenPromise is { } p && p.Paid >= p.Amount ? new PromiseKept(afterPayment.Id, p.PromiseId, p.Paid, businessDate) : null;

    /// <summary>At close of business for <paramref name="date"/>: a promise whose date has passed is broken (or, if covered, kept).</summary>
    public static ILoanEvent? PromiseOutcome(Loan loan, DateOnly date) =>
        loan.Collections.OpenPromise is { } p && date > p.DueOn
            ? p.Paid >= p.Amount
                ? new PromiseKept(loan.Id, p.PromiseId, p.Paid, date)
                : new PromiseBroken(loan.Id, p.PromiseId, p.Amount, p.Paid, p.DueOn, date)
            : null;

    public static ComplaintLodged LodgeComplaint(Loan loan, string category, string description, CollectionsActor actor,
        Guid complaintId, DateOnly businessDate, DateTimeOffset now)
    {
        EnsureActsOn(loan, actor);
        return new ComplaintLodged(loan.Id, complaintId, category, description, actor.Id, now, businessDate);
    }

    public static ComplaintResolved ResolveComplaint(Loan loan, Guid complaintId, string resolution, CollectionsActor actor,
        DateOnly businessDate, DateTimeOffset now)
    {
        if (loan.Collections.ResolvedComplaints.Contains(complaintId))
            throw new LendingRuleViolated("complaint.already_resolved", $"Complaint {complaintId} is already resolved.", RefusalKind.Conflict);
        if (!loan.Collections.OpenComplaints.Contains(complaintId))
            throw new LendingRuleViolated("complaint.not_found", $"Loan {loan.Id} has no complaint {complaintId}.", RefusalKind.NotFound);
        return new ComplaintResolved(loan.Id, complaintId, resolution, actor.Id, now, businessDate);
    }

    public static DisputeVerificationSent SendDisputeVerification(Loan loan, string summary, CollectionsActor actor, DateOnly businessDate,
        DateTimeOffset now)
    {
        EnsureActsOn(loan, actor);
        if (!loan.Collections.DisputeUnverified)
            throw new LendingRuleViolated("dispute.none_open", "There is no unverified dispute on this loan.", RefusalKind.Conflict);
        return new DisputeVerificationSent(loan.Id, summary, actor.Id, now, businessDate);
    }

    /// <summary>Recording a cease-contact request twice is one request.</summary>
    public static IReadOnlyList<ILoanEvent> CeaseContact(Loan loan, string reason, CollectionsActor actor, DateOnly businessDate, DateTimeOffset now)
    {
        EnsureActsOn(loan, actor);
        return loan.Collections.CeaseContact ? [] : [new CeaseContactRequested(loan.Id, reason, actor.Id, now, businessDate)];
    }

    /// <summary>Assigns the loan; a reassignment ends the previous assignment first. The same assignee again changes nothing.</summary>
    public static IReadOnlyList<ILoanEvent> Assign(Loan loan, AssigneeKind kind, string assigneeId, CollectionsActor actor,
        DateOnly businessDate, DateTimeOffset now)
    {
        if (!actor.IsSupervisor)
            throw new LendingRuleViolated("assignment.supervisors_only", "Only supervisors assign loans.", RefusalKind.Forbidden);
        if (loan.Status is LoanStatus.PaidOff or LoanStatus.Settled)
            throw new LendingRuleViolated("assignment.loan_closed", $"The loan is {loan.Status}.", RefusalKind.Conflict);
        var current = loan.Collections.Assignment;
        if (current is not null && current.Kind == kind && current.AssigneeId == assigneeId) return [];

        var events = new List<ILoanEvent>();
        if (current is not null) events.Add(new AssignmentEnded(loan.Id, current.Kind, current.AssigneeId, businessDate));
        events.Add(new LoanAssigned(loan.Id, kind, assigneeId, actor.Id, now, businessDate));
        return events;
    }
}
