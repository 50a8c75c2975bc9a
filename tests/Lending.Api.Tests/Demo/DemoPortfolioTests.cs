using Lending.Api.BusinessDates;
using Lending.Api.Demo;
using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Loans;
using Lending.Domain.Escalation;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Products;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lending.Api.Tests.Demo;

public class DemoPortfolioTests(AppFixture app) : ApiTest(app)
{
    private DemoPortfolioSeeder Seeder(int seed = 7) => new(App.Store,
        Options.Create(new LendingOptions { Demo = { Seed = true, Loans = 40, RandomSeed = seed }, BusinessDate = { Initial = AppFixture.StartDate } }),
        Host.Services.GetRequiredService<BusinessCalendarStore>(), BucketPolicy.Default, Lending.Domain.Escalation.EscalationLadder.Default, App.Clock, NullLogger<DemoPortfolioSeeder>.Instance);

    [Fact]
    public async Task The_demo_portfolio_has_a_realistic_mix_that_close_of_business_agrees_with()
    {
        await Seeder().StartAsync(default);

        await using var session = App.Store.QuerySession();
        Assert.Equal(3, await session.Query<Product>().CountAsync());
        var loans = await session.Query<Loan>().ToListAsync();
        Assert.Equal(40, loans.Count);
        Assert.Contains(loans, l => l.Status == LoanStatus.Overdue);
        Assert.Contains(loans, l => l.Status == LoanStatus.Active && l.Payments.Count > 0);
        Assert.Contains(loans, l => l.Installments.Any(i => i.Penalty > 0m));
        // Every loan's recorded bucket is the one its DPD gives today: the seeded history is closed through today.
        Assert.All(loans, l => Assert.Equal(BucketPolicy.Default.For(LoanPosition.DpdOf(l, AppFixture.StartDate)), l.Bucket));

        // The ladder's queue assignments were carried out, so the demo collectors have work.
        Assert.Contains(loans, l => l.AssignedTo is "agent-7" or "agent-8");
        Assert.All(loans.Where(l => l.Stage >= EscalationStage.EarlyCollection && !l.IsClosed), l => Assert.NotNull(l.AssignedTo));

        // Seeding again (a second start) adds nothing.
        await Seeder().StartAsync(default);
        Assert.Equal(40, await session.Query<Loan>().CountAsync());
    }

    [Fact]
    public async Task The_demo_portfolio_is_the_same_for_the_same_seed()
    {
        await Seeder(seed: 11).StartAsync(default);
        string first;
        await using (var session = App.Store.QuerySession())
            first = string.Join('|', (await session.Query<Loan>().ToListAsync()).OrderBy(l => l.Id)
                .Select(l => $"{l.Id}:{l.Principal}:{l.Bucket}:{l.Installments.Sum(i => i.TotalDue)}"));

        await Host.ResetAllMartenDataAsync();
        await Seeder(seed: 11).StartAsync(default);
        await using (var session = App.Store.QuerySession())
            Assert.Equal(first, string.Join('|', (await session.Query<Loan>().ToListAsync()).OrderBy(l => l.Id)
                .Select(l => $"{l.Id}:{l.Principal}:{l.Bucket}:{l.Installments.Sum(i => i.TotalDue)}")));
    }
}
