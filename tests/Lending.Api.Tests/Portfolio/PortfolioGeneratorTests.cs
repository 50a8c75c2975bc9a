using System.Text.Json;
using Lending.Api.Demo;
using Lending.Api.Portfolio;
using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Restructuring;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lending.Api.Tests.Portfolio;

/// <summary>The generator on a small book: 150 loans over 6 months of business dates ending 31 Jan 2026.</summary>
public class PortfolioGeneratorTests(AppFixture app) : ApiTest(app)
{
    private static readonly GeneratorOptions Small = new(Loans: 150, Months: 6, Seed: 42, BatchSize: 40);

    private PortfolioGenerator Generator => Host.Services.GetRequiredService<PortfolioGenerator>();

    [Fact]
    public async Task A_generated_book_has_the_lives_risk_and_collections_teams_see_and_close_of_business_agrees_with_it()
    {
        var run = await Generator.RunAsync(Small, null, default);
        Assert.True(run.IsComplete);

        await using var session = App.Store.QuerySession();
        var loans = await session.Query<Loan>().ToListAsync();
        Assert.Equal(150, loans.Count);
        Assert.Equal(4, loans.Select(l => l.ProductCode).Distinct().Count());
        Assert.True(loans.Select(l => l.Branch).Distinct().Count() >= 6);
        Assert.True(loans.Count(l => l.Status == LoanStatus.Active) > 50, "most pay on time");
        Assert.Contains(loans, l => l.Status == LoanStatus.PaidOff);
        Assert.Contains(loans, l => l.Status == LoanStatus.Overdue);
        Assert.Contains(loans, l => l.Restructuring.Restructured);
        Assert.Contains(loans, l => l.Collections.BrokenPromises > 0);
        Assert.Contains(loans, l => l.Collections.KeptPromises > 0);
        Assert.Contains(loans, l => l.Stage >= EscalationStage.LegalReview);
        Assert.Contains(loans, l => l.AssignedTo is { } a && PortfolioGenerator.Collectors.Contains(a));
        // Each loan's bucket is the one its DPD gives today: the history is closed through today's business date.
        Assert.All(loans.Where(l => !l.IsClosed), l => Assert.Equal(BucketPolicy.Default.For(LoanPosition.DpdOf(l, AppFixture.StartDate)), l.Bucket));
        Assert.Equal(run.EventsAppended, (await session.Events.QueryAllRawEvents().CountAsync()));

        // Each loan document carries its stream's version (quick appends), so commands' optimistic checks hold on the
        // generated book: close of business works the next date over every loan that needs it, without a conflict.
        var versions = await session.Events.QueryAllRawEvents().GroupBy(e => e.StreamId)
            .Select(g => new { Id = g.Key, Version = g.Max(e => e.Version) }).ToListAsync();
        Assert.All(loans, l => Assert.Equal(versions.Single(v => v.Id == l.Id).Version, l.Version));
        var cob = await AdvanceDays(1);
        Assert.True(cob.GetProperty("loansProcessed").GetInt32() > 0, cob.ToString());
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_events_and_an_interrupted_run_resumes_without_duplicating_anything()
    {
        await Generator.RunAsync(Small, null, default);
        var whole = await Dump();

        await InitializeAsync();
        using var stop = new CancellationTokenSource();
        var interrupted = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.RunAsync(Small,
            new SynchronousProgress(p => { if (p.DaysDone == 90) stop.Cancel(); }), stop.Token));
        Assert.NotNull(interrupted);
        await using (var session = App.Store.QuerySession())
            Assert.Equal(AppFixture.StartDate.AddMonths(-6).AddDays(89), (await session.LoadAsync<GeneratorRun>(GeneratorRun.DocumentId))!.CompletedThrough);

        await Generator.RunAsync(Small, null, default);
        Assert.Equal(whole, await Dump());

        // Another seed is another book.
        await InitializeAsync();
        await Generator.RunAsync(Small with { Seed = 43 }, null, default);
        Assert.NotEqual(whole, await Dump());
    }

    [Fact]
    public async Task The_demo_seeder_generates_into_an_empty_database_once()
    {
        var seeder = new DemoPortfolioSeeder(App.Store, Options.Create(new LendingOptions { Demo = { Seed = true, Loans = 30, Months = 2 } }),
            Generator, NullLogger<DemoPortfolioSeeder>.Instance);
        await seeder.StartAsync(default);
        await seeder.StartAsync(default);
        await using var session = App.Store.QuerySession();
        Assert.Equal(30, await session.Query<Loan>().CountAsync());
    }

    /// <summary>Every event of every stream: stream, version, type and data, in order.</summary>
    private async Task<string> Dump()
    {
        await using var session = App.Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.StreamId).ThenBy(e => e.Version).ToListAsync();
        return string.Join('\n', events.Select(e => $"{e.StreamId}:{e.Version}:{e.EventTypeName}:{JsonSerializer.Serialize(e.Data, e.Data.GetType())}"));
    }

    /// <summary>Reports on the generator's thread, so the test stops it at an exact date.</summary>
    private sealed class SynchronousProgress(Action<GeneratorProgress> report) : IProgress<GeneratorProgress>
    {
        public void Report(GeneratorProgress value) => report(value);
    }
}
