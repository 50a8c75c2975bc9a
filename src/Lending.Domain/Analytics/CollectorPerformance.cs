using Lending.Domain.Collections;

namespace Lending.Domain.Analytics;

/// <summary>What one assignee's work added up to over some business dates.</summary>
public sealed record CollectorActivity(string Assignee, long Contacts, long RightPartyContacts, long PromisesMade, long PromisesKept,
    long PromisesBroken, decimal AmountRecovered);

/// <summary>
/// Collector performance: contacts made, the right-party contact rate (contacts that reached the borrower over all
/// contacts), promises made and the kept rate (kept over promises resolved, kept or broken), and the amounts paid on
/// the loans while assigned to them.
/// </summary>
public sealed record CollectorPerformance(string Assignee, long Contacts, long RightPartyContacts, decimal RightPartyContactRate,
    long PromisesMade, long PromisesKept, long PromisesBroken, decimal PromiseKeptRate, decimal AmountRecovered)
{
    public static CollectorPerformance Of(CollectorActivity a) => new(a.Assignee, a.Contacts, a.RightPartyContacts,
        DelinquencySummary.Ratio(a.RightPartyContacts, a.Contacts), a.PromisesMade, a.PromisesKept, a.PromisesBroken,
        DelinquencySummary.Ratio(a.PromisesKept, a.PromisesKept + a.PromisesBroken), a.AmountRecovered);

    /// <summary>A contact that reached the borrower and talked about the debt, whatever was agreed.</summary>
    public static bool IsRightPartyContact(ContactRecorded c) => c.Party == ContactParty.Borrower && c.Outcome is
        ContactOutcome.RightPartyContact or ContactOutcome.PromiseToPay or ContactOutcome.Refused or ContactOutcome.Dispute
        or ContactOutcome.Hardship;
}
