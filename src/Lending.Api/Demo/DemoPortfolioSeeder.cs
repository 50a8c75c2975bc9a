using Lending.Api.BusinessDates;
using Lending.Api.Setup;
using Lending.Domain.Loans;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Disbursement;
using Lending.Domain.Loans.Payments;
using Lending.Domain.Products;
using Marten;
using Microsoft.Extensions.Options;

namespace Lending.Api.Demo;

/// <summary>
/// Seeds a small demo portfolio into an empty database so a newcomer has something to look at: three products and
/// a few dozen loans across regions and branches, deterministic for a seed. Goes through the same decisions as the API.
/// </summary>
public sealed class DemoPortfolioSeeder(IDocumentStore store, IOptions<LendingOptions> options, BusinessCalendarStore calendars,
    BucketPolicy buckets, EscalationLadder ladder, TimeProvider clock, ILogger<DemoPortfolioSeeder> logger) : IHostedService
{
    private const string Actor = "demo-seeder";

    private static readonly DefineProduct[] Products =
    [
        new("CASH-12M", "Cash loan, 12 monthly instalments", Amortization.Annuity, 12, PaymentFrequency.Monthly, null,
            0.18m, DayCount.Act365, 3, 1.5m, 0m, 0.24m, ConductProfile.CnNifa, "CNY"),
        new("EP-6M", "Consumer loan, equal principal over 6 months", Amortization.EqualPrincipal, 6, PaymentFrequency.Monthly, null,
            0.15m, DayCount.Act365, 3, 1.5m, 20m, 0.24m, ConductProfile.CnNifa, "CNY"),
        new("PAYDAY-30", "30-day online loan", Amortization.Bullet, null, null, 30,
            0.24m, DayCount.Act360, 3, 1.5m, 0m, 0.36m, ConductProfile.UsRegF, "USD"),
    ];

    private static readonly (string Region, string Branch, string TimeZone)[] Places =
    [
        ("East", "Shanghai-01", "Asia/Shanghai"), ("East", "Hangzhou-02", "Asia/Shanghai"),
        ("North", "Beijing-01", "Asia/Shanghai"), ("South", "Shenzhen-03", "Asia/Shanghai"),
        ("US-West", "Oakland-01", "America/Los_Angeles"), ("US-East", "Newark-02", "America/New_York"),
    ];

    /// <summary>Collectors of the demo portfolio: get a token for one of them to work a queue.</summary>
    public static readonly string[] DemoCollectors = ["agent-7", "agent-8"];

    private static readonly string[] Surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Garcia", "Smith", "Nguyen", "Okafor"];
    private static readonly string[] Given = ["Wei", "Fang", "Min", "Jing", "Lei", "Maria", "James", "Linh", "Chidi", "Yan"];

    public async Task StartAsync(CancellationToken ct)
    {
        var demo = options.Value.Demo;
        if (!demo.Seed) return;

        await using var session = store.LightweightSession();
        if (await session.Query<Product>().AnyAsync(ct))
        {
            logger.LogInformation("Demo portfolio not seeded: the database already has products");
            return;
        }

        var now = clock.GetUtcNow();
        var products = Products.Select(p => ProductDecisions.Define(p, now, Actor)).ToArray();
        session.Store(products);

        var today = await calendars.TodayAsync(session, ct);
        var random = new Random(demo.RandomSeed);
        for (var i = 0; i < demo.Loans; i++)
        {
            var product = products[random.Next(products.Length)];
            var place = Places[random.Next(Places.Length)];
            var usd = product.Terms.Currency == "USD";
            var principal = usd ? random.Next(2, 20) * 50m : random.Next(10, 100) * 500m;
            var name = $"{Given[random.Next(Given.Length)]} {Surnames[random.Next(Surnames.Length)]}";
            var borrower = new Borrower($"B{100000 + i}", name, $"+86-138-{random.Next(1000, 9999)}-{random.Next(1000, 9999)}",
                $"borrower{i}@example.com", $"DEMO{random.Next(10000000, 99999999)}", usd ? Places[4].TimeZone : place.TimeZone,
                $"{random.Next(1, 300)} Demo Road, {place.Branch}");
            var loanId = DemoLoanId(demo.RandomSeed, i);
            var disbursedOn = today.AddDays(-random.Next(0, 200));

            // Booked on the day it was disbursed, then lived day by day up to today through the same decisions
            // close of business and the payments endpoint use, so the history is one the service could have written.
            var events = DisbursementDecisions.Decide(
                new DisburseLoan(loanId, product.Code, principal, product.Terms.Currency, disbursedOn, borrower,
                    usd ? "US" : place.Region, usd ? Places[4 + random.Next(2)].Branch : place.Branch),
                existing: null, product, disbursedOn, Actor, now).Cast<object>().ToList();
            events.AddRange(LiveUntil(events, today, (Behaviour)random.Next(10), random, now));
            session.Events.StartStream<Loan>(loanId, [.. events]);
        }

        await session.SaveChangesAsync(ct);
        logger.LogInformation("Seeded the demo portfolio: {Products} products, {Loans} loans", products.Length, demo.Loans);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>0–5 pay on the due date, 6–8 pay 5 to 40 days late, 9 stops paying.</summary>
    private enum Behaviour { OnTime0, OnTime1, OnTime2, OnTime3, OnTime4, OnTime5, Late6, Late7, Late8, Defaulter }

    private IEnumerable<object> LiveUntil(List<object> history, DateOnly today, Behaviour behaviour, Random random, DateTimeOffset now)
    {
        var loan = history.Aggregate((Loan?)null, Loan.Evolve)!;
        var lateness = behaviour is >= Behaviour.Late6 and < Behaviour.Defaulter ? random.Next(5, 41) : 0;
        var produced = new List<object>();
        for (var day = loan.DisbursedOn.AddDays(1); day <= today; day = day.AddDays(1))
        {
            var cob = LoanCloseOfBusiness.Decide(loan, day, buckets, ladder).ToList();
            foreach (var e in cob) loan = Loan.Evolve(loan, e);
            // The demo's collectors take the loans the ladder queues, so their queues have work in them.
            foreach (var escalated in cob.OfType<LoanEscalated>().ToList())
            {
                var collector = escalated.Action switch
                {
                    EscalationAction.AssignCollectorQueue => DemoCollectors[random.Next(DemoCollectors.Length)],
                    EscalationAction.AssignSeniorQueue => "senior-collections",
                    _ => null,
                };
                if (collector is null) continue;
                var assigned = CollectionsDecisions.Assign(loan, AssigneeKind.Collector, collector, new CollectionsActor(Actor, true), day, now);
                foreach (var e in assigned) loan = Loan.Evolve(loan, e);
                cob.AddRange(assigned);
            }
            produced.AddRange(cob);
            if (behaviour == Behaviour.Defaulter || loan.IsClosed) continue;

            var due = loan.Installments.FirstOrDefault(i => !i.IsSettled && i.DueDate.AddDays(lateness) == day);
            if (due is null) continue;
            var amount = LoanPosition.Billed(loan, day).Where(i => i.DueDate <= day).Sum(i => i.TotalDue);
            if (amount <= 0m) continue;
            var paid = PaymentDecisions.Decide(new RecordPayment($"DEMO-{loan.Id.ToString("N")[..8]}-{day:yyyyMMdd}", amount, day),
                loan, day, buckets, Actor, now);
            foreach (var e in paid) loan = Loan.Evolve(loan, e);
            produced.AddRange(paid);
        }
        return produced;
    }

    /// <summary>Stable ids, so the demo's loans are the same on every machine.</summary>
    private static Guid DemoLoanId(int seed, int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, seed);
        BitConverter.TryWriteBytes(bytes[4..], index);
        bytes[8] = 0xde; bytes[9] = 0x30;
        return new Guid(bytes);
    }
}

public static class DemoSetup
{
    public static IServiceCollection AddLendingDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<DemoPortfolioSeeder>();
        return services;
    }
}
