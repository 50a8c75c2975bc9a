using Lending.Domain.Collections;
using Lending.Domain.Products;

namespace Lending.Domain.Tests.Collections;

/// <summary>The conduct rules at their boundaries, in the borrower's local time.</summary>
public class ConductGuardTests
{
    private static readonly ConductPolicy Policy = new();
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>A wall-clock time in a zone, as the instant it is.</summary>
    private static DateTimeOffset At(TimeZoneInfo zone, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(2026, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static CollectionsState History(params (ContactChannel Channel, ContactParty Party, ContactOutcome Outcome, DateTimeOffset At)[] contacts) =>
        contacts.Aggregate(CollectionsState.Empty, (s, c) => s.Apply(new ContactRecorded(Guid.Empty, Guid.NewGuid(), c.Channel,
            ContactDirection.Outbound, c.Party, c.Outcome, c.At, "", "agent", c.At, DateOnly.FromDateTime(c.At.UtcDateTime))));

    private static IReadOnlyList<string> Us(CollectionsState state, DateTimeOffset at, ContactChannel channel = ContactChannel.Phone) =>
        ConductGuard.Check(ConductProfile.UsRegF, Policy, state, NewYork, new(channel, ContactDirection.Outbound, ContactParty.Borrower, at));

    private static IReadOnlyList<string> Cn(CollectionsState state, DateTimeOffset at, ContactChannel channel = ContactChannel.Phone,
        ContactParty party = ContactParty.Borrower) =>
        ConductGuard.Check(ConductProfile.CnNifa, Policy, state, Shanghai, new(channel, ContactDirection.Outbound, party, at));

    [Theory]
    [InlineData(7, 59, false)]
    [InlineData(8, 0, true)]
    [InlineData(20, 59, true)]
    [InlineData(21, 0, false)]
    public void RegF_calls_only_from_8_to_9_local(int hour, int minute, bool allowed) =>
        Assert.Equal(allowed, !Us(CollectionsState.Empty, At(NewYork, 6, 10, hour, minute)).Contains(ConductGuard.OutsideHours));

    [Fact]
    public void RegF_hours_follow_daylight_saving_time()
    {
        // 12:30 UTC is 07:30 EST on 7 March but 08:30 EDT on 9 March (clocks went forward on 8 March) ...
        Assert.Contains(ConductGuard.OutsideHours, Us(CollectionsState.Empty, new DateTimeOffset(2026, 3, 7, 12, 30, 0, TimeSpan.Zero)));
        Assert.Empty(Us(CollectionsState.Empty, new DateTimeOffset(2026, 3, 9, 12, 30, 0, TimeSpan.Zero)));
        // ... and back: 08:30 EDT on 31 October, 07:30 EST on 2 November.
        Assert.Empty(Us(CollectionsState.Empty, new DateTimeOffset(2026, 10, 31, 12, 30, 0, TimeSpan.Zero)));
        Assert.Contains(ConductGuard.OutsideHours, Us(CollectionsState.Empty, new DateTimeOffset(2026, 11, 2, 12, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void RegF_allows_the_7th_phone_attempt_in_7_days_and_refuses_the_8th()
    {
        var six = Enumerable.Range(0, 6).Select(d => (ContactChannel.Phone, ContactParty.Borrower, ContactOutcome.NoAnswer, At(NewYork, 6, 4 + d, 10))).ToArray();
        Assert.Empty(Us(History(six), At(NewYork, 6, 10, 15)));

        var seven = six.Append((ContactChannel.Phone, ContactParty.Borrower, ContactOutcome.NoAnswer, At(NewYork, 6, 10, 10))).ToArray();
        Assert.Equal([ConductGuard.FrequencyCap], Us(History(seven), At(NewYork, 6, 10, 15)));
        // The 4 June attempt leaves the 7-day window on 11 June.
        Assert.Empty(Us(History(seven), At(NewYork, 6, 11, 9)));
        // Other channels are not phone attempts.
        Assert.Empty(Us(History(seven), At(NewYork, 6, 10, 15), ContactChannel.Email));
    }

    [Theory]
    [InlineData(6, false)]
    [InlineData(7, true)]
    public void RegF_waits_7_days_after_a_phone_conversation(int daysAgo, bool allowed)
    {
        var state = History((ContactChannel.Phone, ContactParty.Borrower, ContactOutcome.RightPartyContact, At(NewYork, 6, 10 - daysAgo, 19)));
        Assert.Equal(allowed, !Us(state, At(NewYork, 6, 10, 9)).Contains(ConductGuard.ConversationCooldown));
    }

    [Fact]
    public void RegF_a_voicemail_is_not_a_conversation() =>
        Assert.Empty(Us(History((ContactChannel.Phone, ContactParty.Borrower, ContactOutcome.LeftMessage, At(NewYork, 6, 9, 10))), At(NewYork, 6, 10, 10)));

    [Theory]
    [InlineData(7, 59, false)]
    [InlineData(8, 0, true)]
    [InlineData(21, 59, true)]
    [InlineData(22, 0, false)]
    public void Nifa_no_collection_from_22_to_8_local(int hour, int minute, bool allowed) =>
        Assert.Equal(allowed, !Cn(CollectionsState.Empty, At(Shanghai, 6, 10, hour, minute)).Contains(ConductGuard.OutsideHours));

    [Fact]
    public void Nifa_caps_attempts_per_channel_per_local_day()
    {
        var three = Enumerable.Range(0, 3).Select(h => (ContactChannel.Phone, ContactParty.Borrower, ContactOutcome.NoAnswer, At(Shanghai, 6, 10, 9 + h))).ToArray();
        Assert.Empty(Cn(History(three[..2]), At(Shanghai, 6, 10, 15)));
        Assert.Equal([ConductGuard.FrequencyCap], Cn(History(three), At(Shanghai, 6, 10, 15)));
        Assert.Empty(Cn(History(three), At(Shanghai, 6, 10, 15), ContactChannel.Sms));
        Assert.Empty(Cn(History(three), At(Shanghai, 6, 11, 8)));
    }

    [Fact]
    public void Nifa_third_parties_only_when_the_borrower_cannot_be_reached_and_never_after_one_refuses()
    {
        Assert.Contains(ConductGuard.ThirdPartyNotAllowed, Cn(CollectionsState.Empty, At(Shanghai, 6, 10, 10), party: ContactParty.ThirdParty));

        var unreached = History(
            (ContactChannel.Phone, ContactParty.Borrower, ContactOutcome.NoAnswer, At(Shanghai, 6, 8, 10)),
            (ContactChannel.Phone, ContactParty.Borrower, ContactOutcome.WrongParty, At(Shanghai, 6, 9, 10)),
            (ContactChannel.Sms, ContactParty.Borrower, ContactOutcome.NoAnswer, At(Shanghai, 6, 9, 11)));
        Assert.Empty(Cn(unreached, At(Shanghai, 6, 10, 10), party: ContactParty.ThirdParty));

        var reached = unreached.Apply(new ContactRecorded(Guid.Empty, Guid.NewGuid(), ContactChannel.Phone, ContactDirection.Outbound,
            ContactParty.Borrower, ContactOutcome.RightPartyContact, At(Shanghai, 6, 9, 12), "", "a", default, default));
        Assert.Contains(ConductGuard.ThirdPartyNotAllowed, Cn(reached, At(Shanghai, 6, 10, 10), party: ContactParty.ThirdParty));

        var refused = unreached.Apply(new ContactRecorded(Guid.Empty, Guid.NewGuid(), ContactChannel.Phone, ContactDirection.Outbound,
            ContactParty.ThirdParty, ContactOutcome.Refused, At(Shanghai, 6, 9, 15), "", "a", default, default));
        Assert.Contains(ConductGuard.ThirdPartyRefused, Cn(refused, At(Shanghai, 6, 10, 10), party: ContactParty.ThirdParty));
    }

    [Theory]
    [InlineData(ConductProfile.UsRegF)]
    [InlineData(ConductProfile.CnNifa)]
    public void Cease_contact_and_open_complaints_block_outbound_contact_in_every_profile(ConductProfile profile)
    {
        var zone = profile == ConductProfile.UsRegF ? NewYork : Shanghai;
        var at = At(zone, 6, 10, 10);
        var contact = new ProposedContact(ContactChannel.Email, ContactDirection.Outbound, ContactParty.Borrower, at);
        var complaint = Guid.NewGuid();

        var ceased = CollectionsState.Empty.Apply(new CeaseContactRequested(Guid.Empty, "asked", "a", at, default));
        Assert.Equal([ConductGuard.CeaseContact], ConductGuard.Check(profile, Policy, ceased, zone, contact));

        var complained = CollectionsState.Empty.Apply(new ComplaintLodged(Guid.Empty, complaint, "harassment", "too many calls", "a", at, default));
        Assert.Equal([ConductGuard.OpenComplaint], ConductGuard.Check(profile, Policy, complained, zone, contact));

        var resolved = complained.Apply(new ComplaintResolved(Guid.Empty, complaint, "apologised", "s", at, default));
        Assert.Empty(ConductGuard.Check(profile, Policy, resolved, zone, contact));

        Assert.Empty(ConductGuard.Check(profile, Policy, ceased, zone, contact with { Direction = ContactDirection.Inbound, OccurredAt = At(zone, 6, 10, 23) }));
    }
}

public class DisputeTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DateTimeOffset Noon = new(2026, 6, 10, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Under_RegF_a_dispute_pauses_collection_until_verification_is_sent()
    {
        var disputed = CollectionsState.Empty.Apply(new ContactRecorded(Guid.Empty, Guid.NewGuid(), ContactChannel.Letter, ContactDirection.Inbound,
            ContactParty.Borrower, ContactOutcome.Dispute, Noon.AddDays(-10), "disputes the amount", "a", Noon, default));
        var email = new ProposedContact(ContactChannel.Email, ContactDirection.Outbound, ContactParty.Borrower, Noon);

        Assert.Equal([ConductGuard.DisputeUnverified], ConductGuard.Check(ConductProfile.UsRegF, new ConductPolicy(), disputed, NewYork, email));
        Assert.Empty(ConductGuard.Check(ConductProfile.CnNifa, new ConductPolicy(), disputed, NewYork, email with { OccurredAt = Noon.AddHours(-2) }));

        var verified = disputed.Apply(new DisputeVerificationSent(Guid.Empty, "statement and contract sent by mail", "s", Noon, default));
        Assert.Empty(ConductGuard.Check(ConductProfile.UsRegF, new ConductPolicy(), verified, NewYork, email));
    }
}
