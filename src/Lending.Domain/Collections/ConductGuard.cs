using Lending.Domain.Products;

namespace Lending.Domain.Collections;

public sealed record ProposedContact(ContactChannel Channel, ContactDirection Direction, ContactParty Party, DateTimeOffset OccurredAt);

/// <summary>
/// Which conduct rules an outbound contact would break, judged in the borrower's local time against the loan's
/// contact history. Pure: the profile, its numbers, the history and the time zone all come in as arguments.
/// Inbound contacts (the borrower calling) are always recorded.
/// </summary>
public static class ConductGuard
{
    public const string CeaseContact = "conduct.cease_contact";
    public const string OpenComplaint = "conduct.open_complaint";
    public const string OutsideHours = "conduct.outside_hours";
    public const string FrequencyCap = "conduct.frequency_cap";
    public const string ConversationCooldown = "conduct.conversation_cooldown";
    public const string ThirdPartyNotAllowed = "conduct.third_party_not_allowed";
    public const string ThirdPartyRefused = "conduct.third_party_refused";
    public const string DisputeUnverified = "conduct.dispute_unverified";

    private static readonly ContactOutcome[] Conversations =
        [ContactOutcome.RightPartyContact, ContactOutcome.PromiseToPay, ContactOutcome.Refused, ContactOutcome.Dispute, ContactOutcome.Hardship];

    private static readonly ContactOutcome[] Unreached = [ContactOutcome.NoAnswer, ContactOutcome.WrongParty, ContactOutcome.LeftMessage];

    public static IReadOnlyList<string> Check(ConductProfile profile, ConductPolicy policy, CollectionsState state,
        TimeZoneInfo borrowerZone, ProposedContact contact)
    {
        if (contact.Direction == ContactDirection.Inbound) return [];
        var broken = new List<string>();
        if (state.CeaseContact) broken.Add(CeaseContact);
        if (state.OpenComplaints.Count > 0) broken.Add(OpenComplaint);

        var local = TimeZoneInfo.ConvertTime(contact.OccurredAt, borrowerZone);
        var today = DateOnly.FromDateTime(local.DateTime);
        // Caps count the service's own notices too; who was reached (third parties, conversations) is collectors' contacts.
        var earlier = state.Attempts.Where(c => c.OccurredAt <= contact.OccurredAt).ToList();
        var contacts = state.Contacts.Where(c => c.OccurredAt <= contact.OccurredAt).ToList();
        DateOnly LocalDate(ContactAttempt c) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(c.OccurredAt, borrowerZone).DateTime);
        var toBorrower = earlier.Where(c => c.Direction == ContactDirection.Outbound && c.Party == ContactParty.Borrower).ToList();

        switch (profile)
        {
            case ConductProfile.UsRegF:
            {
                var rules = policy.UsRegF;
                // A disputed debt: collection pauses until verification is sent (12 CFR 1006.34, FDCPA §809(b)).
                if (state.DisputeUnverified) broken.Add(DisputeUnverified);
                if (!Within(local, rules.EarliestLocal, rules.LatestLocal)) broken.Add(OutsideHours);
                if (contact.Channel == ContactChannel.Phone)
                {
                    var windowStart = today.AddDays(-(rules.AttemptWindowDays - 1));
                    if (toBorrower.Count(c => c.Channel == ContactChannel.Phone && LocalDate(c) >= windowStart) >= rules.MaxPhoneAttempts)
                        broken.Add(FrequencyCap);
                    var cooldownStart = today.AddDays(-(rules.ConversationCooldownDays - 1));
                    if (earlier.Any(c => c.Channel == ContactChannel.Phone && c.Party == ContactParty.Borrower
                                         && Conversations.Contains(c.Outcome) && LocalDate(c) >= cooldownStart))
                        broken.Add(ConversationCooldown);
                }
                break;
            }
            case ConductProfile.CnNifa:
            {
                var rules = policy.CnNifa;
                if (!Within(local, rules.EarliestLocal, rules.LatestLocal)) broken.Add(OutsideHours);
                if (contact.Party == ContactParty.Borrower
                    && toBorrower.Count(c => c.Channel == contact.Channel && LocalDate(c) == today) >= rules.DailyCapPerChannel)
                    broken.Add(FrequencyCap);
                if (contact.Party == ContactParty.ThirdParty)
                {
                    if (contacts.Any(c => c.Party == ContactParty.ThirdParty && c.Outcome == ContactOutcome.Refused))
                        broken.Add(ThirdPartyRefused);
                    var lookbackStart = contact.OccurredAt.AddDays(-rules.ThirdPartyLookbackDays);
                    var recent = contacts.Where(c => c.Direction == ContactDirection.Outbound && c.Party == ContactParty.Borrower
                                                     && c.OccurredAt >= lookbackStart).ToList();
                    if (recent.Count < rules.ThirdPartyAfterFailedAttempts || recent.Any(c => !Unreached.Contains(c.Outcome)))
                        broken.Add(ThirdPartyNotAllowed);
                }
                break;
            }
        }
        return broken;
    }

    /// <summary>From <paramref name="earliest"/> inclusive to <paramref name="latest"/> exclusive, local wall-clock time.</summary>
    private static bool Within(DateTimeOffset local, TimeOnly earliest, TimeOnly latest)
    {
        var time = TimeOnly.FromDateTime(local.DateTime);
        return time >= earliest && time < latest;
    }
}

/// <summary>A contact refused by the conduct guard, naming every rule it would break.</summary>
public sealed class ConductRefused(IReadOnlyList<string> rules)
    : LendingRuleViolated(rules[0], $"Refused by the conduct guard: {string.Join(", ", rules)}. A supervisor may override with a written reason.")
{
    public IReadOnlyList<string> Rules { get; } = rules;
}
