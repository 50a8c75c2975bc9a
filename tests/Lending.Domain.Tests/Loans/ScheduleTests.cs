using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lending.Domain.Loans.Schedules;
using Lending.Domain.Products;

namespace Lending.Domain.Tests.Loans;

public class ScheduleTests
{
    private static ProductTerms Terms(Amortization amortization, decimal rate, int? installments = 12,
        PaymentFrequency frequency = PaymentFrequency.Monthly, int? termDays = null, DayCount dayCount = DayCount.Act365) =>
        ProductDecisions.Define(new DefineProduct("P", "P", amortization, installments, frequency, termDays, rate, dayCount,
            null, null, null, 0.5m, null, "CNY"), TestData.Now, "admin").Terms;

    private static readonly DateOnly Jan15 = new(2026, 1, 15);

    [Fact]
    public void Annuity_of_12000_at_12_percent_over_12_months_pays_1066_19()
    {
        var schedule = RepaymentSchedule.Generate(Terms(Amortization.Annuity, 0.12m), 12_000m, Jan15);

        Assert.All(schedule.Take(11), i => Assert.Equal(1_066.19m, i.Total));
        Assert.Equal((946.19m, 120.00m), (schedule[0].Principal, schedule[0].Interest));
        Assert.Equal((955.65m, 110.54m), (schedule[1].Principal, schedule[1].Interest));
        Assert.Equal((1_045.18m, 21.01m), (schedule[10].Principal, schedule[10].Interest));
        // The last instalment absorbs the rounding.
        Assert.Equal((1_055.58m, 10.56m, 1_066.14m), (schedule[11].Principal, schedule[11].Interest, schedule[11].Total));
        Assert.Equal(12_000m, schedule.Sum(i => i.Principal));
        Assert.Equal(794.23m, schedule.Sum(i => i.Interest));
    }

    [Fact]
    public void Equal_principal_repays_the_same_principal_with_falling_interest()
    {
        var schedule = RepaymentSchedule.Generate(Terms(Amortization.EqualPrincipal, 0.12m, installments: 6), 6_000m, Jan15);

        Assert.All(schedule, i => Assert.Equal(1_000m, i.Principal));
        Assert.Equal([60m, 50m, 40m, 30m, 20m, 10m], schedule.Select(i => i.Interest));
    }

    [Fact]
    public void Equal_principal_parts_absorb_rounding_in_the_last_one()
    {
        var schedule = RepaymentSchedule.Generate(Terms(Amortization.EqualPrincipal, 0.12m, installments: 3), 1_000m, Jan15);
        Assert.Equal([333.33m, 333.33m, 333.34m], schedule.Select(i => i.Principal));
    }

    [Theory]
    [InlineData(DayCount.Act360, 20.00)]
    [InlineData(DayCount.Act365, 19.73)]
    public void A_bullet_loan_owes_principal_and_day_count_interest_at_maturity(DayCount dayCount, decimal interest)
    {
        var schedule = RepaymentSchedule.Generate(Terms(Amortization.Bullet, 0.24m, installments: null, termDays: 30, dayCount: dayCount), 1_000m, Jan15);

        var only = Assert.Single(schedule);
        Assert.Equal(new DateOnly(2026, 2, 14), only.DueDate);
        Assert.Equal(1_000m, only.Principal);
        Assert.Equal(interest, only.Interest);
    }

    [Fact]
    public void Monthly_due_dates_count_from_disbursement_and_clip_to_month_end()
    {
        var dates = RepaymentSchedule.DueDates(Terms(Amortization.Annuity, 0.12m, installments: 3), new DateOnly(2026, 1, 31));
        Assert.Equal([new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 30)], dates);
    }

    [Theory]
    [InlineData(PaymentFrequency.Weekly, 7)]
    [InlineData(PaymentFrequency.Biweekly, 14)]
    public void Weekly_and_biweekly_terms_use_the_day_count_for_their_rate(PaymentFrequency frequency, int days)
    {
        var terms = Terms(Amortization.Annuity, 0.365m, installments: 4, frequency: frequency);
        var schedule = RepaymentSchedule.Generate(terms, 1_000m, Jan15);

        Assert.Equal(0.365m * days / 365m, RepaymentSchedule.PeriodicRate(terms));
        Assert.Equal(Jan15.AddDays(days), schedule[0].DueDate);
        Assert.Equal(Jan15.AddDays(4 * days), schedule[3].DueDate);
        Assert.Equal(Money.Round(1_000m * 0.001m * days), schedule[0].Interest);
    }

    [Fact]
    public void At_a_zero_rate_the_principal_is_split_evenly()
    {
        var schedule = RepaymentSchedule.Generate(Terms(Amortization.Annuity, 0m, installments: 3), 100m, Jan15);
        Assert.Equal([33.33m, 33.33m, 33.34m], schedule.Select(i => i.Principal));
        Assert.All(schedule, i => Assert.Equal(0m, i.Interest));
    }

    public static Arbitrary<(decimal Principal, decimal Rate, int Installments, Amortization Kind)> Loans() =>
        (from cents in Gen.Choose(1_00, 5_000_000_00)
         from bps in Gen.Choose(0, 3600)
         from n in Gen.Choose(1, 60)
         from kind in Gen.Elements(Amortization.Annuity, Amortization.EqualPrincipal)
         select (cents / 100m, bps / 10_000m, n, kind)).ToArbitrary();

    [Property(Arbitrary = [typeof(ScheduleTests)], MaxTest = 300)]
    public bool Principal_parts_sum_to_the_principal_and_no_part_is_negative((decimal Principal, decimal Rate, int Installments, Amortization Kind) loan)
    {
        var schedule = RepaymentSchedule.Generate(Terms(loan.Kind, loan.Rate, loan.Installments), loan.Principal, Jan15);
        return schedule.Sum(i => i.Principal) == loan.Principal
            && schedule.All(i => i.Principal >= 0m && i.Interest >= 0m)
            && schedule.All(i => Money.HasAtMostTwoDecimals(i.Principal) && Money.HasAtMostTwoDecimals(i.Interest))
            && schedule.Count == loan.Installments;
    }
}
