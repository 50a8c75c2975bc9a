using Lending.Domain.Escalation;
using Lending.Domain.Litigation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Litigation;

/// <summary>
/// The litigation lifecycle: a case opens with legal's review and ends settled or withdrawn, steps follow the procedure,
/// the claim is the ledger's as of the filing date with the penalty within the cap, an award is never above the claim.
/// The test loan: 12,000 at 12% over 12 months from 15 Jan 2026, instalment 1 due 15 Feb, nothing paid.
/// </summary>
public class LitigationTests
{
    private static readonly DateOnly Review = new(2026, 6, 1);
    private static readonly DateOnly Filing = new(2026, 6, 20);
    private static readonly LitigationActor Legal = new("legal-1", IsLegal: true);
    private static readonly Guid CaseId = Guid.Parse("0195d0c4-0000-7000-8000-0000000000ca");

    private static LoanBuilder Overdue(DateOnly through) => LoanBuilder.Disbursed().CloseThrough(through);

    private static ILitigationEvent Record(LoanBuilder b, LitigationCommand cmd, DateOnly? today = null, LitigationActor? actor = null) =>
        LitigationDecisions.Record(b.Loan, cmd, actor ?? Legal, CaseId, today ?? b.Loan.LastBusinessDate, TestData.Now);

    private static LoanBuilder Step(LoanBuilder b, LitigationCommand cmd)
    {
        b.Then(Record(b, cmd));
        return b;
    }

    private static LoanBuilder Filed()
    {
        var b = Step(Overdue(Review), new(LitigationAction.ReviewOpened, Review, "90+ DPD, no contact since April"));
        b.CloseThrough(Filing);
        return Step(b, new(LitigationAction.Filed, Filing, Court: "上海市浦东新区人民法院", CaseNumber: "(2026)沪0115民初12345号"));
    }

    private static LendingRuleViolated Refused(LoanBuilder b, LitigationCommand cmd, LitigationActor? actor = null) =>
        Assert.Throws<LendingRuleViolated>(() => Record(b, cmd, actor: actor));

    [Fact]
    public void A_review_opens_a_case_and_the_loan_is_in_litigation_until_it_ends()
    {
        var b = Overdue(Review);
        var opened = Assert.IsType<LitigationReviewOpened>(Record(b, new(LitigationAction.ReviewOpened, Review, " notes ")));
        b.Then(opened);

        Assert.Equal(("legal-1", "notes", Review, CaseId), (opened.RecordedBy, opened.Notes, opened.StepDate, opened.CaseId));
        Assert.Equal(LoanStatus.Litigation, b.Loan.Status);
        Assert.Equal(LitigationStep.ReviewOpened, b.Loan.Litigation!.Step);
        Assert.Equal("litigation.case_open", Refused(b, new(LitigationAction.ReviewOpened, Review)).Code);

        // Close of business goes on: buckets move, the status stays litigation.
        b.CloseThrough(Review.AddDays(40));
        Assert.Equal(LoanStatus.Litigation, b.Loan.Status);

        b.Then(Record(b, new(LitigationAction.Withdrawn, Review.AddDays(40), "borrower started paying")));
        Assert.Equal(LoanStatus.Overdue, b.Loan.Status);
        Assert.False(b.Loan.Litigation!.IsOpen);
        Assert.Equal(LitigationStep.Withdrawn, b.Loan.Litigation.Step);
    }

    [Fact]
    public void Only_legal_records_steps_and_only_on_an_open_case()
    {
        var b = Overdue(Review);
        var refused = Refused(b, new(LitigationAction.ReviewOpened, Review), new LitigationActor("sup-1", IsLegal: false));
        Assert.Equal(("litigation.legal_only", RefusalKind.Forbidden), (refused.Code, refused.Kind));
        var noCase = Refused(b, new(LitigationAction.Filed, Review, Court: "c", CaseNumber: "n"));
        Assert.Equal(("litigation.no_open_case", RefusalKind.Conflict), (noCase.Code, noCase.Kind));
    }

    [Fact]
    public void A_step_happened_no_later_than_the_business_date_and_no_earlier_than_the_step_before()
    {
        var b = Step(Overdue(Review), new(LitigationAction.ReviewOpened, Review.AddDays(-5)));
        Assert.Equal("litigation.date_in_future", Refused(b, new(LitigationAction.DemandServed, Review.AddDays(1))).Code);
        Assert.Equal("litigation.date_before_case", Refused(b, new(LitigationAction.DemandServed, Review.AddDays(-6))).Code);
        b = Step(b, new(LitigationAction.DemandServed, Review.AddDays(-2)));
        Assert.Equal("litigation.date_before_last_step", Refused(b, new(LitigationAction.Withdrawn, Review.AddDays(-3), "x")).Code);
        // A cost is booked on the day it was paid, whatever was recorded since.
        var cost = Assert.IsType<LitigationCostIncurred>(Record(b, new(LitigationAction.CostIncurred, Review.AddDays(-4),
            Amount: 500m, CostKind: LitigationCostKind.LawyerFee)));
        Assert.Equal(500m, cost.Amount);
    }

    [Fact]
    public void The_claim_is_the_ledger_as_of_the_filing_date_with_the_costs_so_far_and_it_stays_frozen()
    {
        var b = Step(Overdue(Review), new(LitigationAction.ReviewOpened, Review));
        b = Step(b, new(LitigationAction.CostIncurred, Review, Amount: 350m, CostKind: LitigationCostKind.CourtFee));
        b.CloseThrough(Filing.AddDays(5));
        var onFiling = Loan.AsOf(b.Events, Filing)!;

        var filed = Assert.IsType<LawsuitFiled>(LitigationDecisions.Record(b.Loan, new(LitigationAction.Filed, Filing,
            Court: "上海市浦东新区人民法院", CaseNumber: "(2026)沪0115民初12345号"), Legal, CaseId, Filing.AddDays(5), TestData.Now, onFiling));

        var p = LoanPosition.Of(onFiling, Filing);
        var c = filed.Claim;
        Assert.Equal((Filing, p.PrincipalOutstanding, p.InterestOutstanding, p.PenaltyOutstanding, p.FeesOutstanding, 350m),
            (c.AsOf, c.Principal, c.Interest, c.Penalty, c.Fees, c.Costs));
        Assert.Equal(c.Principal + c.Interest + c.Penalty + c.Fees + c.Costs, c.Total);
        Assert.True(c.Penalty > 0m);
        Assert.Equal((0.12m, 0.12m, 0.24m, 0m), (c.ContractRate, c.PenaltyRate, c.RateCap, c.PenaltyReduced));
        Assert.True(c.CostOfBorrowing <= c.CapAllowance);
        Assert.True(p.PenaltyOutstanding < LoanPosition.Of(b.Loan, Filing.AddDays(5)).PenaltyOutstanding, "the ledger moved on after filing");

        b.Then(filed).CloseThrough(Filing.AddDays(30));
        Assert.Equal(c, b.Loan.Litigation!.Claim);
        Assert.Equal(LitigationStep.Filed, b.Loan.Litigation.Step);
    }

    [Fact]
    public void Penalty_booked_beyond_the_cap_is_not_claimed()
    {
        var b = Overdue(Review);
        // Penalty booked under a rate above the cap (a product misconfigured before the cap was checked at accrual).
        b.Then(new PenaltyAccrued(LoanBuilder.LoanId, 1.0m, 365, [new PenaltyLine(1, 1_000m, 5_000m)], Review));
        b = Step(b, new(LitigationAction.ReviewOpened, Review));

        var filed = Assert.IsType<LawsuitFiled>(Record(b, new(LitigationAction.Filed, Review, Court: "c", CaseNumber: "n")));

        var booked = LoanPosition.Of(b.Loan, Review).PenaltyOutstanding;
        Assert.True(filed.Claim.PenaltyReduced > 0m);
        Assert.Equal(booked, filed.Claim.Penalty + filed.Claim.PenaltyReduced);
        // Interest earned and the penalty claimed together stay within cap × principal-days.
        Assert.True(filed.Claim.CostOfBorrowing - filed.Claim.PenaltyReduced <= filed.Claim.CapAllowance + 0.01m);
    }

    [Fact]
    public void Mediation_comes_before_filing_and_must_end_before_it()
    {
        var b = Step(Overdue(Review), new(LitigationAction.ReviewOpened, Review));
        b = Step(b, new(LitigationAction.MediationOpened, Review, Mediator: "浦东新区人民调解委员会"));
        Assert.Equal("litigation.mediation_open", Refused(b, new(LitigationAction.Filed, Review, Court: "c", CaseNumber: "n")).Code);
        Assert.Equal("litigation.outcome_required", Refused(b, new(LitigationAction.MediationConcluded, Review)).Code);
        Assert.Equal("litigation.amount_not_expected",
            Refused(b, new(LitigationAction.MediationConcluded, Review, Outcome: MediationOutcome.Failed, Amount: 1m)).Code);
        b = Step(b, new(LitigationAction.MediationConcluded, Review, Outcome: MediationOutcome.Failed));
        Assert.Equal(LitigationStep.MediationConcluded, b.Loan.Litigation!.Step);
        b = Step(b, new(LitigationAction.Filed, Review, Court: "c", CaseNumber: "n"));
        Assert.Equal("litigation.already_filed", Refused(b, new(LitigationAction.MediationOpened, Review, Mediator: "m")).Code);
        Assert.Equal("litigation.already_filed", Refused(b, new(LitigationAction.Filed, Review, Court: "c", CaseNumber: "n")).Code);
    }

    [Fact]
    public void Filing_needs_a_court_and_a_case_number()
    {
        var b = Step(Overdue(Review), new(LitigationAction.ReviewOpened, Review));
        Assert.Equal("litigation.court_required", Refused(b, new(LitigationAction.Filed, Review, CaseNumber: "n")).Code);
        Assert.Equal("litigation.caseNumber_required", Refused(b, new(LitigationAction.Filed, Review, Court: "c", CaseNumber: " ")).Code);
    }

    [Fact]
    public void A_judgment_follows_filing_and_awards_no_part_above_the_claim()
    {
        var b = Step(Overdue(Review), new(LitigationAction.ReviewOpened, Review));
        var award = new LitigationAward(1_000m, 10m, 1m, 0m, 0m);
        Assert.Equal("litigation.not_filed", Refused(b, new(LitigationAction.Judgment, Review, Award: award)).Code);

        b = Filed();
        b = Step(b, new(LitigationAction.CostIncurred, Filing, Amount: 420m, CostKind: LitigationCostKind.CourtFee));
        var claim = b.Loan.Litigation!.Claim!;
        Assert.Equal("litigation.award_required", Refused(b, new(LitigationAction.Judgment, Filing)).Code);
        var refused = Refused(b, new(LitigationAction.Judgment, Filing, Award: new(claim.Principal, claim.Interest, claim.Penalty + 0.01m, 0m, 500m)));
        Assert.Equal("litigation.award_above_claim", refused.Code);
        Assert.Contains("penalty", refused.Message);
        Assert.Contains("costs 500", refused.Message);
        var full = new LitigationAward(claim.Principal, claim.Interest, claim.Penalty, claim.Fees, 420m);
        Assert.Equal("litigation.award_mismatch", Refused(b, new(LitigationAction.Judgment, Filing, Amount: full.Total + 1m, Award: full)).Code);

        b = Step(b, new(LitigationAction.Hearing, Filing));
        var judgment = Assert.IsType<JudgmentEntered>(Record(b, new(LitigationAction.Judgment, Filing, Amount: full.Total, Award: full)));
        Assert.Equal((full.Total, "上海市浦东新区人民法院"), (judgment.AwardedTotal, judgment.Court));
        b.Then(judgment);
        Assert.Equal("litigation.judgment_given", Refused(b, new(LitigationAction.Judgment, Filing, Award: full)).Code);
    }

    [Fact]
    public void An_appeal_holds_enforcement_until_the_appeal_judgment_and_a_listing_needs_enforcement()
    {
        var b = Filed();
        var claim = b.Loan.Litigation!.Claim!;
        var award = new LitigationAward(claim.Principal, claim.Interest, 0m, 0m, 0m);
        Assert.Equal("litigation.no_judgment", Refused(b, new(LitigationAction.Enforcement, Filing, CaseNumber: "x")).Code);
        b = Step(b, new(LitigationAction.Judgment, Filing, Award: award));
        b = Step(b, new(LitigationAction.Appeal, Filing, Court: "上海市第一中级人民法院", Appellant: LitigationParty.Borrower));
        Assert.Equal("litigation.appeal_pending", Refused(b, new(LitigationAction.Enforcement, Filing, CaseNumber: "x")).Code);
        b = Step(b, new(LitigationAction.Judgment, Filing, Court: "上海市第一中级人民法院", Award: award));
        Assert.Equal("litigation.no_enforcement", Refused(b, new(LitigationAction.DishonestListing, Filing, DecisionNumber: "d")).Code);
        b = Step(b, new(LitigationAction.Enforcement, Filing, CaseNumber: "(2026)沪0115执678号"));
        Assert.Equal("litigation.listing_period",
            Refused(b, new(LitigationAction.DishonestListing, Filing, DecisionNumber: "d", ListedUntil: Filing)).Code);
        b = Step(b, new(LitigationAction.DishonestListing, Filing, DecisionNumber: "(2026)沪0115执678号之一", ListedUntil: Filing.AddYears(2)));
        Assert.Equal(("(2026)沪0115执678号之一", Filing.AddYears(2)),
            (b.Loan.Litigation!.Listing!.DecisionNumber, b.Loan.Litigation.Listing.ListedUntil));
        Assert.Equal("litigation.listed", Refused(b, new(LitigationAction.DishonestListing, Filing, DecisionNumber: "e")).Code);
        b = Step(b, new(LitigationAction.ListingRemoved, Filing, DecisionNumber: "(2026)沪0115执678号之二"));
        Assert.Equal(Filing, b.Loan.Litigation!.Listing!.RemovedOn);
        Assert.Equal("litigation.not_listed", Refused(b, new(LitigationAction.ListingRemoved, Filing, DecisionNumber: "f")).Code);
    }

    [Fact]
    public void A_settled_case_closes_and_a_withdrawal_needs_a_reason()
    {
        var b = Filed();
        Assert.Equal("litigation.reason_required", Refused(b, new(LitigationAction.Withdrawn, Filing)).Code);
        b = Step(b, new(LitigationAction.Settled, Filing, Amount: 9_000m, Notes: "court-mediated settlement"));
        Assert.Equal((LitigationStep.Settled, Filing, LoanStatus.Overdue), (b.Loan.Litigation!.Step, b.Loan.Litigation.ClosedOn, b.Loan.Status));
        Assert.Equal("litigation.no_open_case", Refused(b, new(LitigationAction.Hearing, Filing)).Code);
        // A new review may open later.
        Assert.IsType<LitigationReviewOpened>(Record(b, new(LitigationAction.ReviewOpened, Filing)));
    }

    [Fact]
    public void A_paid_off_loan_cannot_be_taken_to_court()
    {
        var b = Overdue(Review);
        b.Pay(LoanPosition.Of(b.Loan, Review).TotalOutstanding, Review);
        Assert.Equal("litigation.loan_closed", Refused(b, new(LitigationAction.ReviewOpened, Review)).Code);
    }

    [Fact]
    public void Once_filed_the_ladders_notices_stop_unless_legal_allows_them()
    {
        var b = Filed();
        var day = b.Loan.LastBusinessDate;
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        var stage = b.Loan.Stage;

        var stopped = EscalationActions.Decide(b.Loan, stage, EscalationAction.DemandLetter, day, new EscalationQueues("e", "l"), Guid.NewGuid(), at);
        Assert.Null(stopped.Send);
        Assert.Equal([NoticeConduct.CaseFiled], Assert.IsType<NoticeSuppressed>(Assert.Single(stopped.Events)).Rules);

        var allowed = EscalationActions.Decide(b.Loan, stage, EscalationAction.DemandLetter, day, new EscalationQueues("e", "l"), Guid.NewGuid(), at,
            limits: new LendingPolicy { NoticesAfterFiling = true });
        Assert.NotNull(allowed.Send);

        // Before filing (review only) the notices still go out.
        var review = Step(Overdue(Review), new(LitigationAction.ReviewOpened, Review));
        Assert.NotNull(EscalationActions.Decide(review.Loan, review.Loan.Stage, EscalationAction.DemandLetter, Review, new EscalationQueues("e", "l"),
            Guid.NewGuid(), new DateTimeOffset(Review.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8))).Send);
    }
}

public class EvidenceAccessTests
{
    private static readonly LitigationActor Legal = new("legal-1", IsLegal: true);

    [Fact]
    public void Only_legal_pulls_with_a_purpose_for_a_date_the_loan_existed_and_the_business_date_reached()
    {
        var loan = LoanBuilder.Disbursed().Loan;
        var today = new DateOnly(2026, 3, 1);
        EvidenceAccess.EnsureMayPull(loan, today, "case (2026)沪0115民初12345号", Legal, today);
        string Refused(DateOnly asOf, string? purpose, LitigationActor actor) =>
            Assert.Throws<LendingRuleViolated>(() => EvidenceAccess.EnsureMayPull(loan, asOf, purpose, actor, today)).Code;
        Assert.Equal("evidence.legal_only", Refused(today, "x", new("sup-1", IsLegal: false)));
        Assert.Equal("evidence.purpose_required", Refused(today, " ", Legal));
        Assert.Equal("evidence.purpose_too_long", Refused(today, new string('x', 501), Legal));
        Assert.Equal("as_of.in_future", Refused(today.AddDays(1), "x", Legal));
        Assert.Equal("evidence.before_loan", Refused(loan.DisbursedOn.AddDays(-1), "x", Legal));
    }

    [Fact]
    public void The_evidence_access_stream_is_the_loans_own_and_never_the_loan_stream()
    {
        var id = LoanBuilder.LoanId;
        Assert.Equal(EvidenceAccess.StreamFor(id), EvidenceAccess.StreamFor(id));
        Assert.NotEqual(id, EvidenceAccess.StreamFor(id));
        Assert.NotEqual(EvidenceAccess.StreamFor(id), EvidenceAccess.StreamFor(Guid.NewGuid()));
    }
}
