using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Products;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Escalation;

/// <summary>
/// The ladder's notices go through the conduct guard. The test loan's instalment 1 falls due on 15 Feb: a reminder on
/// 16 Feb (DPD 1), a demand letter on 17 Apr (DPD 61). The borrower lives in Shanghai (CN-NIFA: 08:00–22:00).
/// </summary>
public class NoticeConductTests
{
    private static readonly DateOnly Day1 = new(2026, 2, 16);
    private static readonly DateOnly Day61 = new(2026, 4, 17);
    private static DateTimeOffset Shanghai(DateOnly day, int hour, int minute = 0) =>
        new(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(8));

    private static EscalationActions.Outcome Remind(LoanBuilder b, DateTimeOffset at) =>
        EscalationActions.Decide(b.Loan, EscalationStage.Reminder, EscalationAction.ReminderNotice, Day1, new EscalationQueues("e", "l"),
            Guid.NewGuid(), at);

    private static EscalationActions.Outcome Demand(LoanBuilder b, DateTimeOffset at) =>
        EscalationActions.Decide(b.Loan, EscalationStage.Demand, EscalationAction.DemandLetter, Day61, new EscalationQueues("e", "l"),
            Guid.NewGuid(), at);

    [Fact]
    public void Under_cease_contact_the_reminder_is_suppressed_with_the_rule_and_never_tried_again()
    {
        var b = LoanBuilder.Disbursed().Then(new CeaseContactRequested(LoanBuilder.LoanId, "written request", "agent-7", TestData.Now,
            new DateOnly(2026, 2, 10))).CloseThrough(Day1);

        var outcome = Remind(b, Shanghai(Day1, 10));

        Assert.Null(outcome.Send);
        var suppressed = Assert.IsType<NoticeSuppressed>(Assert.Single(outcome.Events));
        Assert.Equal([ConductGuard.CeaseContact], suppressed.Rules);
        b.Then([.. outcome.Events]);
        Assert.Equal(EscalationActions.Outcome.Nothing, Remind(b, Shanghai(Day1, 11)));
    }

    [Fact]
    public void An_open_complaint_suppresses_every_notice_even_a_reg_f_demand_letter()
    {
        var b = LoanBuilder.Disbursed(profile: ConductProfile.UsRegF, timeZone: "America/New_York")
            .Then(new ComplaintLodged(LoanBuilder.LoanId, Guid.NewGuid(), "conduct", "rude caller", "agent-7", TestData.Now, new DateOnly(2026, 2, 10)))
            .CloseThrough(Day61);

        var outcome = Demand(b, new DateTimeOffset(Day61.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero)); // 10:00 or 11:00 in New York

        Assert.Equal([ConductGuard.OpenComplaint], Assert.IsType<NoticeSuppressed>(Assert.Single(outcome.Events)).Rules);
    }

    [Fact]
    public void A_reminder_due_at_six_in_the_morning_is_held_until_eight_and_sent_once_then()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day1);

        var held = Remind(b, Shanghai(Day1, 6));
        var holding = Assert.IsType<NoticeHeld>(Assert.Single(held.Events));
        Assert.Equal((ConductGuard.OutsideHours, Shanghai(Day1, 8)), (holding.Rule, holding.Until));
        Assert.Equal(Shanghai(Day1, 8), held.RetryAt);
        b.Then([.. held.Events]);

        var stillEarly = Remind(b, Shanghai(Day1, 7, 30)); // a redelivery before the window: no second hold, try again at 8
        Assert.Empty(stillEarly.Events);
        Assert.Equal(Shanghai(Day1, 8), stillEarly.RetryAt);

        var opening = Remind(b, Shanghai(Day1, 8));
        Assert.NotNull(opening.Send);
        Assert.IsType<NoticeSent>(Assert.Single(opening.Events));
        b.Then([.. opening.Events]);
        Assert.Equal(EscalationActions.Outcome.Nothing, Remind(b, Shanghai(Day1, 9)));
        Assert.Empty(b.Loan.HeldNotices!);
    }

    [Fact]
    public void After_ten_at_night_the_notice_waits_for_eight_the_next_morning()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day1);
        Assert.Equal(Shanghai(Day1.AddDays(1), 8), Assert.IsType<NoticeHeld>(Assert.Single(Remind(b, Shanghai(Day1, 22, 30)).Events)).Until);
    }

    [Fact]
    public void Under_reg_f_a_demand_letter_naming_the_remedies_goes_out_despite_a_cease_request_and_says_so()
    {
        var b = LoanBuilder.Disbursed(profile: ConductProfile.UsRegF, timeZone: "America/New_York")
            .Then(new CeaseContactRequested(LoanBuilder.LoanId, "written request", "agent-7", TestData.Now, new DateOnly(2026, 2, 10)))
            .CloseThrough(Day61);
        var tenInNewYork = new DateTimeOffset(Day61.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(-4));

        var letter = Demand(b, tenInNewYork);
        Assert.Equal(NoticeConduct.RegFRemedyNotice, Assert.IsType<NoticeSent>(Assert.Single(letter.Events)).ConductException);

        var reminder = EscalationActions.Decide(b.Loan, EscalationStage.Reminder, EscalationAction.ReminderNotice, Day1,
            new EscalationQueues("e", "l"), Guid.NewGuid(), tenInNewYork);
        Assert.IsType<NoticeSuppressed>(Assert.Single(reminder.Events));

        // CN-NIFA has no such exception.
        var cn = LoanBuilder.Disbursed().Then(new CeaseContactRequested(LoanBuilder.LoanId, "written request", "agent-7", TestData.Now,
            new DateOnly(2026, 2, 10))).CloseThrough(Day61);
        Assert.IsType<NoticeSuppressed>(Assert.Single(Demand(cn, Shanghai(Day61, 10)).Events));
    }

    [Fact]
    public void A_letter_is_not_held_for_quiet_hours_and_the_daily_cap_counts_the_services_own_messages()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day61);
        Assert.IsType<NoticeSent>(Assert.Single(Demand(b, Shanghai(Day61, 23)).Events));

        // Three text messages to the borrower today already (CN-NIFA: at most 3 per channel per day): the SMS reminder waits.
        var capped = LoanBuilder.Disbursed().CloseThrough(Day1);
        foreach (var hour in new[] { 9, 10, 11 })
            capped.Then(new ContactRecorded(LoanBuilder.LoanId, Guid.NewGuid(), ContactChannel.Sms, ContactDirection.Outbound, ContactParty.Borrower,
                ContactOutcome.LeftMessage, Shanghai(Day1, hour), "text", "agent-7", Shanghai(Day1, hour), Day1));
        Assert.Equal([ConductGuard.FrequencyCap], Assert.IsType<NoticeSuppressed>(Assert.Single(Remind(capped, Shanghai(Day1, 12)).Events)).Rules);

        // And a reminder sent counts against collectors' texts that day.
        var counted = LoanBuilder.Disbursed().CloseThrough(Day1);
        counted.Then([.. Remind(counted, Shanghai(Day1, 9)).Events]);
        Assert.Single(counted.Loan.Collections.Attempts);
        Assert.Empty(counted.Loan.Collections.Contacts); // the work queue's "last contact" is a collector's
    }
}
