using Lending.Domain.CloseOfBusiness;
using static Lending.Domain.Tests.TestData;

namespace Lending.Domain.Tests.CloseOfBusiness;

public class ProjectionsStandAsideTests
{
    private static readonly Guid RunId = Guid.Parse("0195d0c4-0000-7000-8000-0000000000bb");
    private static readonly BusinessCalendar Calendar = new(new DateOnly(2026, 1, 31), null);
    private static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(5);

    private static CobRun Running() => CobDecisions.Start(Calendar, 2, RunId, "admin", Now);

    private static CobRun BatchClosed(CobRun run, DateTimeOffset at) =>
        CobDecisions.BatchClosed(run, run.NextDate!.Value, run.Cursor, new CobCursor(run.NextDate!.Value, Guid.CreateVersion7(at)), 1000, at)!;

    [Fact]
    public void Without_a_run_the_projections_work() =>
        Assert.Equal(new StandAsideDecision(false), ProjectionsStandAside.Decide(null, Now, StalledAfter));

    [Fact]
    public void While_a_run_closes_dates_they_stand_aside() =>
        Assert.Equal(new StandAsideDecision(true, RunId), ProjectionsStandAside.Decide(Running(), Now.AddSeconds(1), StalledAfter));

    [Theory]
    [InlineData(CobRunStatus.Completed)]
    [InlineData(CobRunStatus.Failed)]
    public void A_finished_run_releases_them(CobRunStatus status) =>
        Assert.Equal(new StandAsideDecision(false), ProjectionsStandAside.Decide(Running() with { Status = status }, Now.AddSeconds(1), StalledAfter));

    [Fact]
    public void A_run_that_keeps_closing_loans_holds_them_for_as_long_as_it_takes()
    {
        var run = Running();
        for (var minute = 4; minute <= 40; minute += 4)
        {
            run = BatchClosed(run, Now.AddMinutes(minute));
            Assert.True(ProjectionsStandAside.Decide(run, Now.AddMinutes(minute + 4) - TimeSpan.FromSeconds(1), StalledAfter).StandAside);
        }
        // A date closed counts as moving too.
        var (closed, _) = CobDecisions.DateClosed(run, Calendar with { ActiveRunId = RunId }, run.NextDate!.Value, 10, Now.AddMinutes(60))!.Value;
        Assert.True(ProjectionsStandAside.Decide(closed, Now.AddMinutes(64), StalledAfter).StandAside);
    }

    [Fact]
    public void A_run_that_has_not_moved_for_the_stall_period_no_longer_holds_them_until_it_moves_again()
    {
        var run = BatchClosed(Running(), Now.AddMinutes(1));

        Assert.True(ProjectionsStandAside.Decide(run, Now.AddMinutes(1) + StalledAfter - TimeSpan.FromSeconds(1), StalledAfter).StandAside);
        Assert.Equal(new StandAsideDecision(false, RunId, Now.AddMinutes(1)),
            ProjectionsStandAside.Decide(run, Now.AddMinutes(1) + StalledAfter, StalledAfter));

        // Failed and resumed: moving again from the resume.
        var (failed, calendar) = CobDecisions.Failed(run, Calendar with { ActiveRunId = RunId }, "lost", Now.AddMinutes(30));
        var resumed = CobDecisions.Resume(failed, calendar, Now.AddMinutes(40));
        Assert.True(ProjectionsStandAside.Decide(resumed, Now.AddMinutes(41), StalledAfter).StandAside);
    }

    [Fact]
    public void A_run_stored_before_runs_kept_their_progress_instant_counts_from_its_start()
    {
        var old = Running() with { ProgressAt = null };

        Assert.True(ProjectionsStandAside.Decide(old, Now + StalledAfter - TimeSpan.FromSeconds(1), StalledAfter).StandAside);
        Assert.False(ProjectionsStandAside.Decide(old, Now + StalledAfter, StalledAfter).StandAside);
    }
}
