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

public class CobRunRecoveryTests
{
    private static readonly BusinessCalendar Calendar = new(new DateOnly(2026, 1, 31), null);

    [Fact]
    public void A_failed_run_records_why_and_frees_the_calendar()
    {
        var run = CobDecisions.Start(Calendar, 2, Guid.NewGuid(), "admin", TestData.Now);
        var (failed, calendar) = CobDecisions.Failed(run, Calendar with { ActiveRunId = run.Id }, "boom", TestData.Now);

        Assert.Equal((CobRunStatus.Failed, "boom"), (failed.Status, failed.Error));
        Assert.Null(calendar.ActiveRunId);
        Assert.Null(failed.NextDate);
    }

    [Fact]
    public void A_failed_run_resumes_where_it_stopped()
    {
        var run = CobDecisions.Start(Calendar, 3, Guid.NewGuid(), "admin", TestData.Now);
        var (afterDay1, calendar) = CobDecisions.DateClosed(run, Calendar, new DateOnly(2026, 2, 1), 0, TestData.Now)!.Value;
        var withCursor = CobDecisions.BatchClosed(afterDay1, new DateOnly(2026, 2, 2), null, new CobCursor(new DateOnly(2026, 1, 1), Guid.Empty), 2, TestData.Now)!;
        var (failed, freed) = CobDecisions.Failed(withCursor, calendar, "boom", TestData.Now);

        var resumed = CobDecisions.Resume(failed, freed, TestData.Now);

        Assert.Equal(CobRunStatus.Running, resumed.Status);
        Assert.Equal(new DateOnly(2026, 2, 2), resumed.NextDate);
        Assert.Equal(withCursor.Cursor, resumed.Cursor);
    }

    [Fact]
    public void A_batch_that_is_not_the_next_one_is_ignored()
    {
        var run = CobDecisions.Start(Calendar, 1, Guid.NewGuid(), "admin", TestData.Now);
        var cursor = new CobCursor(new DateOnly(2026, 1, 1), Guid.NewGuid());
        var after = CobDecisions.BatchClosed(run, run.FromDate, null, cursor, 2, TestData.Now)!;

        Assert.Null(CobDecisions.BatchClosed(after, run.FromDate, null, cursor, 2, TestData.Now));
        Assert.Equal(2, after.LoansProcessed);
    }
}
