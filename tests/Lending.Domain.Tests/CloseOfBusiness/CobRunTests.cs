using Lending.Domain.CloseOfBusiness;
using static Lending.Domain.Tests.TestData;

namespace Lending.Domain.Tests.CloseOfBusiness;

public class CobRunTests
{
    private static readonly Guid RunId = Guid.Parse("0195d0c4-0000-7000-8000-0000000000aa");
    private static readonly BusinessCalendar Calendar = new(new DateOnly(2026, 1, 31), null);

    [Fact]
    public void Advancing_n_days_closes_the_next_n_dates()
    {
        var run = CobDecisions.Start(Calendar, 3, RunId, "admin", Now);

        Assert.Equal(new DateOnly(2026, 2, 1), run.FromDate);
        Assert.Equal(new DateOnly(2026, 2, 3), run.ToDate);
        Assert.Equal(run.FromDate, run.NextDate);
        Assert.Equal(CobRunStatus.Running, run.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(CobDecisions.MaxDaysPerRun + 1)]
    public void The_number_of_days_is_bounded(int days) =>
        Assert.Equal("business_date.days_out_of_range",
            Assert.Throws<LendingRuleViolated>(() => CobDecisions.Start(Calendar, days, RunId, "admin", Now)).Code);

    [Fact]
    public void A_second_run_cannot_start_while_one_is_running()
    {
        var refused = Assert.Throws<LendingRuleViolated>(() =>
            CobDecisions.Start(Calendar with { ActiveRunId = Guid.NewGuid() }, 1, RunId, "admin", Now));
        Assert.Equal("cob.run_in_progress", refused.Code);
        Assert.Equal(RefusalKind.Conflict, refused.Kind);
    }

    [Fact]
    public void Dates_close_in_order_and_the_last_one_completes_the_run()
    {
        var run = CobDecisions.Start(Calendar, 2, RunId, "admin", Now);
        var calendar = Calendar with { ActiveRunId = RunId };

        (run, calendar) = CobDecisions.DateClosed(run, calendar, new DateOnly(2026, 2, 1), 5, Now)!.Value;
        Assert.Equal(new DateOnly(2026, 2, 1), calendar.BusinessDate);
        Assert.Equal(RunId, calendar.ActiveRunId);
        Assert.Equal(new DateOnly(2026, 2, 2), run.NextDate);

        (run, calendar) = CobDecisions.DateClosed(run, calendar, new DateOnly(2026, 2, 2), 7, Now.AddMinutes(1))!.Value;
        Assert.Equal(CobRunStatus.Completed, run.Status);
        Assert.Equal(2, run.DaysClosed);
        Assert.Equal(12, run.LoansProcessed);
        Assert.Equal(Now.AddMinutes(1), run.FinishedAt);
        Assert.Null(run.NextDate);
        Assert.Equal(new DateOnly(2026, 2, 2), calendar.BusinessDate);
        Assert.Null(calendar.ActiveRunId);
    }

    [Fact]
    public void A_redelivered_date_is_not_closed_twice()
    {
        var run = CobDecisions.Start(Calendar, 2, RunId, "admin", Now);
        var (afterFirst, calendar) = CobDecisions.DateClosed(run, Calendar, new DateOnly(2026, 2, 1), 5, Now)!.Value;

        Assert.Null(CobDecisions.DateClosed(afterFirst, calendar, new DateOnly(2026, 2, 1), 5, Now));
        Assert.Null(CobDecisions.DateClosed(afterFirst, calendar, new DateOnly(2026, 2, 3), 5, Now));
    }
}
