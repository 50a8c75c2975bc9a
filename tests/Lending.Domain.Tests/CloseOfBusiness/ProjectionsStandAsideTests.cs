using Lending.Domain.CloseOfBusiness;
using static Lending.Domain.Tests.TestData;

namespace Lending.Domain.Tests.CloseOfBusiness;

public class ProjectionsStandAsideTests
{
    private static readonly Guid RunId = Guid.Parse("0195d0c4-0000-7000-8000-0000000000bb");
    private static readonly BusinessCalendar Calendar = new(new DateOnly(2026, 1, 31), null);
    private static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(5);

    private static CobRun Running() => CobDecisions.Start(Calendar, 2, RunId, "admin", Now);

    [Fact]
    public void Without_a_run_the_projections_work()
    {
        var decision = ProjectionsStandAside.Decide(null, null, Now, StalledAfter);

        Assert.False(decision.StandAside);
        Assert.Null(decision.Seen);
    }

    [Fact]
    public void While_a_run_closes_dates_they_stand_aside()
    {
        var decision = ProjectionsStandAside.Decide(Running(), null, Now, StalledAfter);

        Assert.True(decision.StandAside);
        Assert.Equal(new CobProgressSeen(RunId, 0, 0, null, Now), decision.Seen);
    }

    [Theory]
    [InlineData(CobRunStatus.Completed)]
    [InlineData(CobRunStatus.Failed)]
    public void A_finished_run_releases_them(CobRunStatus status)
    {
        var seen = new CobProgressSeen(RunId, 0, 0, null, Now);

        var decision = ProjectionsStandAside.Decide(Running() with { Status = status }, seen, Now.AddSeconds(1), StalledAfter);

        Assert.False(decision.StandAside);
        Assert.Null(decision.StalledSince);
    }

    [Fact]
    public void A_run_that_keeps_closing_loans_holds_them_for_as_long_as_it_takes()
    {
        var run = Running();
        var decision = ProjectionsStandAside.Decide(run, null, Now, StalledAfter);

        // Each look finds the run further on (a batch closed), so the quiet period starts again.
        for (var minute = 4; minute <= 40; minute += 4)
        {
            run = CobDecisions.BatchClosed(run, run.FromDate, run.Cursor, new CobCursor(run.FromDate, Guid.CreateVersion7()), 1000)!;
            decision = ProjectionsStandAside.Decide(run, decision.Seen, Now.AddMinutes(minute), StalledAfter);
            Assert.True(decision.StandAside);
        }
        Assert.Equal(Now.AddMinutes(40), decision.Seen!.Since);
    }

    [Fact]
    public void A_run_that_has_not_moved_for_the_stall_period_no_longer_holds_them()
    {
        var run = Running();
        var first = ProjectionsStandAside.Decide(run, null, Now, StalledAfter);

        var before = ProjectionsStandAside.Decide(run, first.Seen, Now + StalledAfter - TimeSpan.FromSeconds(1), StalledAfter);
        var after = ProjectionsStandAside.Decide(run, before.Seen, Now + StalledAfter, StalledAfter);

        Assert.True(before.StandAside);
        Assert.False(after.StandAside);
        Assert.Equal(Now, after.StalledSince);
        // Once it moves again (resumed), they stand aside again.
        var resumed = CobDecisions.BatchClosed(run, run.FromDate, null, new CobCursor(run.FromDate, Guid.CreateVersion7()), 10)!;
        var again = ProjectionsStandAside.Decide(resumed, after.Seen, Now + StalledAfter + TimeSpan.FromMinutes(1), StalledAfter);
        Assert.True(again.StandAside);
    }

    [Fact]
    public void Another_run_starts_its_own_quiet_period()
    {
        var seen = new CobProgressSeen(Guid.CreateVersion7(), 0, 0, null, Now);

        var decision = ProjectionsStandAside.Decide(Running(), seen, Now + StalledAfter, StalledAfter);

        Assert.True(decision.StandAside);
        Assert.Equal(RunId, decision.Seen!.RunId);
        Assert.Equal(Now + StalledAfter, decision.Seen.Since);
    }
}
