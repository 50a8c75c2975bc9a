using JasperFx.CommandLine;
using Marten;
using Spectre.Console;

namespace Lending.Api.Analytics;

/// <summary>
/// <c>./lending rebuild-analytics</c>: the analytics rebuilt from the event store by one sequential read, with every API
/// node stopped (their daemons would project the same events meanwhile). The nodes' daemons carry on from its end.
/// </summary>
[Description("Rebuild the risk analysts' figures from the event store by one sequential read (stop every API node first)",
    Name = "rebuild-analytics")]
public sealed class RebuildAnalyticsCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        await host.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var result = await host.Services.GetRequiredService<AnalyticsRebuild>().RunAsync(CancellationToken.None);
        AnsiConsole.MarkupLine($"Analytics rebuilt from {result.Events:N0} events (through sequence {result.Through:N0}) in " +
                               $"{result.Elapsed.TotalSeconds:N1} s: {result.Events / Math.Max(0.001, result.Elapsed.TotalSeconds):N0} events/s");
        return true;
    }
}
