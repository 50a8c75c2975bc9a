using Lending.Api.Portfolio;
using Lending.Api.Setup;
using Lending.Domain.Products;
using Marten;
using Microsoft.Extensions.Options;

namespace Lending.Api.Demo;

/// <summary>
/// Seeds a small demo portfolio into an empty database so a newcomer has something to look at: the portfolio
/// generator's products and loans (size and seed configurable), lived through the real rules up to today's business date.
/// </summary>
public sealed class DemoPortfolioSeeder(IDocumentStore store, IOptions<LendingOptions> options, PortfolioGenerator generator,
    ILogger<DemoPortfolioSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var demo = options.Value.Demo;
        if (!demo.Seed) return;

        await using (var session = store.QuerySession())
        {
            var run = await session.LoadAsync<GeneratorRun>(GeneratorRun.DocumentId, ct);
            if (run is null && await session.Query<Product>().AnyAsync(ct))
            {
                logger.LogInformation("Demo portfolio not seeded: the database already has products");
                return;
            }
            if (run is { IsComplete: true }) return;
        }

        var generated = await generator.RunAsync(new GeneratorOptions(demo.Loans, demo.Months, demo.RandomSeed), progress: null, ct);
        logger.LogInformation("Seeded the demo portfolio: {Loans} loans over {Months} months, {Events} events", generated.Loans,
            generated.Months, generated.EventsAppended);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

public static class DemoSetup
{
    public static IServiceCollection AddLendingDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<DemoPortfolioSeeder>();
        return services;
    }
}
