using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Restructuring;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Escalation;

/// <summary>
/// Broken promises and a plan breach push the ladder within the delinquency episode they belong to; a cure starts a new
/// one. Instalment 1 of the test loan falls due on 15 Feb, instalment 2 on 15 Mar.
/// </summary>
public class EpisodeTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);
    private static DateOnly Day(int n) => Due1.AddDays(n);

    private static LoanBuilder CloseThrough(LoanBuilder b, DateOnly through, EscalationLadder ladder)
    {
        for (var d = b.Loan.LastBusinessDate.AddDays(1); d <= through; d = d.AddDays(1))
            b.Then([.. LoanCloseOfBusiness.Decide(b.Loan, d, BucketPolicy.Default, ladder)]);
        return b;
    }

    private static LoanBuilder TwoPromisesBrokenThenCured(EscalationLadder ladder)
    {
        var b = CloseThrough(LoanBuilder.Disbursed(), Day(5), ladder);
        b.Then(new PromiseToPayMade(LoanBuilder.LoanId, Guid.NewGuid(), Guid.NewGuid(), 500m, Day(6), "agent-7", Day(5)));
        CloseThrough(b, Day(7), ladder);
        b.Then(new PromiseToPayMade(LoanBuilder.LoanId, Guid.NewGuid(), Guid.NewGuid(), 500m, Day(8), "agent-7", Day(7)));
        CloseThrough(b, Day(9), ladder);
        Assert.Equal((2, EscalationStage.LateCollection), (b.Loan.Collections.BrokenPromises, b.Loan.Stage)); // 2 broken promises
        b.Pay(LoanPosition.Of(b.Loan, Day(9)).Arrears + b.Loan.Installments.Sum(i => i.PenaltyDue + i.FeesDue), Day(9));
        Assert.Equal(EscalationStage.None, b.Loan.Stage);
        return b;
    }

    [Fact]
    public void Promises_broken_in_an_earlier_episode_do_not_push_the_next_one()
    {
        var ladder = EscalationLadder.Default;
        var b = CloseThrough(TwoPromisesBrokenThenCured(ladder), new DateOnly(2026, 3, 16), ladder); // instalment 2, DPD 1

        Assert.Equal(EscalationStage.Reminder, b.Loan.Stage);
        Assert.Equal((2, 0), (b.Loan.Collections.BrokenPromises, b.Loan.Collections.EpisodeBrokenPromises));
        Assert.Single(b.Events.OfType<LoanEscalated>(), e => e.To == EscalationStage.LateCollection);
    }

    [Fact]
    public void A_ladder_that_counts_the_loans_whole_life_sends_it_straight_to_late_collection()
    {
        var ladder = EscalationLadder.Default with { CureStartsNewEpisode = false };
        var b = CloseThrough(TwoPromisesBrokenThenCured(ladder), new DateOnly(2026, 3, 16), ladder);

        Assert.Equal(EscalationStage.LateCollection, b.Loan.Stage);
    }

    [Fact]
    public void A_plan_breach_of_an_earlier_episode_does_not_send_the_next_one_to_legal_review()
    {
        var ladder = EscalationLadder.Default;
        var day40 = Day(40);
        var b = CloseThrough(LoanBuilder.Disbursed(), day40, ladder)
            .Restructure(new RestructureTerms(RestructureType.InstallmentPlan, 6, null, null, null), day40);
        var plan = b.Loan.Schedule.Where(i => i.Number >= b.Loan.Restructuring.FirstRestructuredInstallment).ToList();

        CloseThrough(b, plan[0].DueDate.AddDays(4), ladder); // breached: legal review
        Assert.Equal(EscalationStage.LegalReview, b.Loan.Stage);
        b.Pay(b.Loan.Schedule.Where(i => i.DueDate <= plan[0].DueDate).Sum(i => i.TotalDue), plan[0].DueDate.AddDays(4)); // cured
        b.Pay(plan[1].TotalDue, plan[1].DueDate.AddDays(-1));
        CloseThrough(b, plan[2].DueDate.AddDays(1), ladder); // the third plan instalment one day late

        Assert.Equal(EscalationStage.Reminder, b.Loan.Stage);
        Assert.True(b.Loan.Restructuring.PlanBreached);       // on record
        Assert.False(b.Loan.Restructuring.EpisodeBreached);   // but not this episode's
    }

    [Fact]
    public void A_promise_made_after_a_write_off_is_kept_or_broken_like_any_other()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day(180));
        b.Then(WriteOffDecisions.Propose(b.Loan, Guid.NewGuid(), "escalation", Day(180), TestData.Now, 180)!);
        b.Then(WriteOffDecisions.Approve(b.Loan, "sup-2", Day(180), TestData.Now));
        var broken = Guid.NewGuid();
        b.Then(new PromiseToPayMade(LoanBuilder.LoanId, broken, Guid.NewGuid(), 300m, Day(185), "agent-7", Day(181)));
        Assert.Equal(Day(185), b.Loan.CloseOfBusinessDueDate);

        b.CloseThrough(Day(186));

        Assert.Equal(broken, Assert.Single(b.Events.OfType<PromiseBroken>(), p => p.BusinessDate > Day(180)).PromiseId);
        var kept = Guid.NewGuid();
        b.Then(new PromiseToPayMade(LoanBuilder.LoanId, kept, Guid.NewGuid(), 300m, Day(190), "agent-7", Day(186)));
        Assert.Contains(b.Pay(300m, Day(187)), e => e is PromiseKept k && k.PromiseId == kept);
    }
}
