using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Restructuring;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Policy;

/// <summary>Policy numbers come from configuration: the decisions follow them, and numbers out of bounds are named.</summary>
public class PolicyNumberTests
{
    private static readonly DateOnly Today = new(2026, 2, 20);
    private static readonly DateTimeOffset TenAm = new(2026, 2, 20, 2, 0, 0, TimeSpan.Zero); // 10:00 in Shanghai
    private static readonly CollectionsActor Supervisor = new("sup-1", IsSupervisor: true);

    private static IReadOnlyList<ILoanEvent> Promise(LendingPolicy limits, int days, DateTimeOffset? at = null) =>
        CollectionsDecisions.RecordContact(LoanBuilder.Disbursed().Loan, new RecordContact(ContactChannel.Phone, ContactDirection.Outbound,
                ContactParty.Borrower, ContactOutcome.PromiseToPay, at ?? TenAm, "will pay", new PromiseTerms(100m, Today.AddDays(days)), null),
            new ConductPolicy(), Supervisor, Guid.NewGuid(), Guid.NewGuid(), Today, TenAm, limits);

    [Fact]
    public void The_promise_horizon_and_the_contact_clock_skew_are_policy()
    {
        var thirty = new LendingPolicy { MaxPromiseDays = 30, ContactClockSkewMinutes = 1 };
        Assert.NotEmpty(Promise(thirty, 30));
        Assert.Equal("promise.date_out_of_range", Assert.Throws<LendingRuleViolated>(() => Promise(thirty, 31)).Code);
        Assert.NotEmpty(Promise(LendingPolicy.Default, 31));

        Assert.Equal("contact.in_future", Assert.Throws<LendingRuleViolated>(() => Promise(thirty, 5, TenAm.AddMinutes(2))).Code);
        Assert.NotEmpty(Promise(LendingPolicy.Default, 5, TenAm.AddMinutes(2)));
    }

    [Fact]
    public void Restructure_limits_are_policy()
    {
        var loan = LoanBuilder.Disbursed().Loan;
        var limits = new LendingPolicy { MaxExtensionPeriods = 3, MaxPlanInstallments = 24 };
        RestructureRequested Request(RestructureType type, int periods) => RestructuringDecisions.Request(loan,
            new RestructureTerms(type, periods, null, null, null), "illness", [], "agent-7", Guid.NewGuid(), Today, TenAm, limits);

        Assert.NotNull(Request(RestructureType.Extension, 3));
        Assert.Equal("restructure.periods_out_of_range", Assert.Throws<LendingRuleViolated>(() => Request(RestructureType.Extension, 4)).Code);
        Assert.Equal("restructure.periods_out_of_range", Assert.Throws<LendingRuleViolated>(() => Request(RestructureType.InstallmentPlan, 25)).Code);
    }

    [Fact]
    public void The_demand_letter_gives_the_configured_days()
    {
        var b = LoanBuilder.Disbursed(on: new DateOnly(2026, 1, 15)).CloseThrough(new DateOnly(2026, 4, 17));
        var (notice, _, _) = EscalationActions.Decide(b.Loan, EscalationStage.Demand, EscalationAction.DemandLetter, new DateOnly(2026, 4, 17),
            new EscalationQueues("early", "late"), Guid.NewGuid(), TenAm, limits: new LendingPolicy { DemandResponseDays = 21 });
        Assert.Contains("请于收到本函之日起 21 日内还款", notice!.Text);
        Assert.Contains("within 21 days of this letter", notice.Text);
    }

    [Fact]
    public void Work_queue_weights_are_policy()
    {
        // A 10-day-late loan of 12,000 never contacted, and a 2-day-late one with a promise due today.
        var late = LoanBuilder.Disbursed().CloseThrough(new DateOnly(2026, 2, 25)).Loan;
        // (Its first instalment falls due on 23 Feb; a fixed id, so no order rests on a random one.)
        var promised = LoanBuilder.Disbursed(on: new DateOnly(2026, 1, 23)).CloseThrough(new DateOnly(2026, 2, 24))
            .Then(new PromiseToPayMade(LoanBuilder.LoanId, Guid.NewGuid(), Guid.NewGuid(), 100m, new DateOnly(2026, 2, 25), "agent-7",
                new DateOnly(2026, 2, 24))).Loan with { Id = Guid.Parse("0195d0c4-0000-7000-8000-0000000000aa") };
        var today = new DateOnly(2026, 2, 25);
        Assert.Equal((10, 2), (WorkQueue.Item(late, today).Dpd, WorkQueue.Item(promised, today).Dpd));

        Assert.Equal((10 + 12 + 15), WorkQueue.Item(late, today).Priority);
        var dpdFirst = new WorkQueueWeights { PerDayPastDue = 10, MaxDayPoints = 1_000, PromiseDueToday = 0 };
        Assert.Equal(late.Id, WorkQueue.Order([promised, late], today, dpdFirst)[0].LoanId);
        Assert.Equal(promised.Id, WorkQueue.Order([promised, late], today, new WorkQueueWeights { PromiseDueToday = 500 })[0].LoanId);
    }

    [Fact]
    public void Numbers_out_of_bounds_are_named_for_the_start_up_to_refuse()
    {
        Assert.Empty(LendingPolicy.Default.Problems());
        var problems = new LendingPolicy { MaxPromiseDays = 0, DemandResponseDays = 400, WorkQueue = new WorkQueueWeights { PerBrokenPromise = -1 } }
            .Problems();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Lending:Policy:MaxPromiseDays is 0"));
        Assert.Contains(problems, p => p.StartsWith("Lending:Policy:WorkQueue:PerBrokenPromise"));
    }
}

/// <summary>One clock story: "in the future" is after the end of the business date in the borrower's zone.</summary>
public class ClockStoryTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Clock = new(2026, 1, 31, 9, 0, 0, TimeSpan.Zero); // 17:00 in Shanghai

    private static bool InFuture(string at, DateOnly businessDate) =>
        CollectionsDecisions.InFuture(DateTimeOffset.Parse(at), "Asia/Shanghai", businessDate, Clock, LendingPolicy.Default);

    [Fact]
    public void Ahead_of_the_clock_any_time_on_the_business_date_has_happened()
    {
        var ahead = new DateOnly(2026, 3, 1);
        Assert.False(InFuture("2026-03-01T23:59:00+08:00", ahead));
        Assert.True(InFuture("2026-03-02T00:00:00+08:00", ahead));
        Assert.True(InFuture("2026-03-01T16:00:00Z", ahead)); // 00:00 on 2 Mar in Shanghai
    }

    [Fact]
    public void On_the_clocks_date_a_time_ahead_of_the_clock_has_not_happened()
    {
        var today = new DateOnly(2026, 1, 31);
        Assert.True(InFuture("2026-01-31T18:00:00+08:00", today));
        Assert.False(InFuture("2026-01-31T17:05:00+08:00", today)); // 5 minutes of skew
        Assert.False(InFuture("2026-01-31T08:00:00+08:00", today));
        Assert.Equal(new DateTime(2026, 1, 31, 17, 0, 0), TimeZoneInfo.ConvertTime(Clock, Shanghai).DateTime);
    }
}
