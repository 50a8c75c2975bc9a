using System.Text.Json;
using Lending.Api.Demo;
using Lending.Api.Portfolio;
using Lending.Api.Setup;
using Lending.Api.Auth;
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
        // The stream rows and the payment references are the ones Marten's StartStream and the inline projection write.
        var streams = await session.Events.QueryAllRawEvents().Select(e => e.StreamId).Distinct().CountAsync();
        Assert.Equal(150, streams);
        Assert.Equal(["loan:150"], await session.AdvancedSql.QueryAsync<string>(
            $"select type || ':' || count(*) from {MartenSetup.EventSchema}.mt_streams where type is not null group by type", default));
        var payments = (await session.Events.QueryAllRawEvents().ToListAsync()).Select(e => e.Data).OfType<PaymentReceived>().ToList();
        Assert.NotEmpty(payments);
        Assert.Equal(payments.Select(p => $"{p.LoanId}/{p.Reference}").Order(), (await session.AdvancedSql.QueryAsync<string>(
            $"select loan_id::text || '/' || reference from {MartenSetup.DocumentSchema}.payment_references", default)).Order());
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

    /// <summary>
    /// The generator closes business dates with the service's own code: the same loans, disbursed and paid through the
    /// API on the same dates, with the business date advanced through the API one date at a time (close of business and
    /// the escalation handler over the outbox), end up with the same events. Only instants and a channel's delivery
    /// receipt differ: the generator stamps each date's events at a simulated time and delivers no notice.
    /// </summary>
    [Fact]
    public async Task A_generated_book_has_the_events_the_service_gives_the_same_loans_paid_and_closed_through_the_API()
    {
        var options = new GeneratorOptions(Loans: 300, Months: 3, Seed: 11, BatchSize: 100, PeopleAct: false);
        var run = await Generator.RunAsync(options, null, default);
        var generated = await Histories();
        IReadOnlyList<(DateOnly Date, Guid LoanId, object Body)> disbursements, payments;
        await using (var session = App.Store.QuerySession())
        {
            var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
            disbursements = [.. events.Select(e => e.Data).OfType<LoanDisbursed>().Select(d => (d.DisbursedOn, d.LoanId, (object)new
            {
                d.LoanId, d.ProductCode, d.Principal, d.Currency, d.Region, d.Branch,
                borrower = new { d.Borrower.Id, d.Borrower.Name, d.Borrower.Phone, d.Borrower.Email, d.Borrower.NationalId, d.Borrower.TimeZone, d.Borrower.Address },
            }))];
            payments = [.. events.Select(e => e.Data).OfType<PaymentReceived>().Select(p => (p.PaidOn, p.LoanId,
                (object)new { amount = p.Amount, reference = p.Reference }))];
            // Each product climbs its own ladder: a payday loan reaches late collection at 15 DPD, not the default 31.
            Assert.Contains(events.Select(e => e.Data).OfType<LoanEscalated>(), e => e.To == EscalationStage.LateCollection && e.Dpd < 31);
        }
        Assert.Equal(300, disbursements.Count);
        Assert.NotEmpty(payments);
        Assert.Contains(generated.Values, h => h.Contains("loan_escalated "));
        Assert.Contains(generated.Values, h => h.Contains("notice_sent "));

        await InitializeAsync();
        await using (var session = App.Store.LightweightSession())
        {
            foreach (var definition in PortfolioGenerator.Catalogue)
                session.Store(Lending.Domain.Products.ProductDecisions.Define(definition, DateTimeOffset.UnixEpoch, "generator"));
            session.Store(new Lending.Domain.CloseOfBusiness.BusinessCalendar(run.Start, null));
            await session.SaveChangesAsync();
        }
        for (var date = run.Start; date <= run.End; date = date.AddDays(1))
        {
            if (date > run.Start)
            {
                // One clock day a business date, at 00:30 UTC: inside the contact window in Shanghai, New York and Los Angeles.
                var next = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime).AddDays(1);
                App.Clock.SetUtcNow(new DateTimeOffset(next.ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero));
                await AdvanceDays(1);
            }
            foreach (var (_, _, body) in disbursements.Where(d => d.Date == date))
                await As(Roles.Supervisor, s => { s.Post.Json(body).ToUrl("/loans"); s.StatusCodeShouldBe(201); }, PortfolioGenerator.Supervisor);
            foreach (var (_, loanId, body) in payments.Where(p => p.Date == date))
                await As(Roles.Supervisor, s => { s.Post.Json(body).ToUrl($"/loans/{loanId}/payments"); s.StatusCodeShouldBe(201); },
                    PortfolioGenerator.Supervisor);
        }

        var closed = await Histories();
        Assert.Equal(generated.Keys.Order(), closed.Keys.Order());
        Assert.All(generated, g => Assert.Equal(g.Value, closed[g.Key]));
    }

    /// <summary>
    /// Each loan's events as lines of type and data, without what is an instant (a string with a time of day) or a
    /// channel's receipt.
    /// </summary>
    private async Task<Dictionary<Guid, string>> Histories()
    {
        await using var session = App.Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.StreamId).ThenBy(e => e.Version).ToListAsync();
        return events.Where(e => e.Data is ILoanEvent).GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => string.Join('\n', g.Select(e =>
        {
            var data = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(e.Data, e.Data.GetType(), Json))!.AsObject();
            foreach (var (name, value) in data.ToList())
                if (name.StartsWith("delivery") || name.StartsWith("document")
                    || value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 10 && text[10] == 'T'
                       && DateTimeOffset.TryParse(text, out _))
                    data.Remove(name);
            return $"{e.EventTypeName} {data.ToJsonString()}";
        })));
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
