using Lending.Projections.Evidence;
using Marten;
using Microsoft.Extensions.Options;

namespace Lending.Api.Evidence;

public static class EvidenceSetup
{
    public static IServiceCollection AddLendingEvidence(this IServiceCollection services)
    {
        services.AddSingleton(new EvidenceLogSchema(Setup.MartenSetup.DocumentSchema, Setup.MartenSetup.EventSchema));
        services.AddSingleton<EvidenceSigner>();
        services.AddHttpClient<TimestampAuthority>(c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<CheckpointSealer>();
        services.AddSingleton<EvidenceRecord>();
        services.AddSingleton<EvidenceBundleService>();
        services.AddHostedService<SealedLogGuard>();
        services.AddHostedService<CheckpointTimer>();
        return services;
    }
}

/// <summary>Installs the triggers that refuse any change to a sealed row or a sealed event (after Marten's schema is applied).</summary>
public sealed class SealedLogGuard(IDocumentStore store, EvidenceLogSchema schema, EvidenceSigner signer) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        _ = signer.Certificate; // a missing or unreadable key stops the start, not the first pull
        await store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = schema.GuardSql();
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Seals a checkpoint every <see cref="EvidenceOptions.CheckpointMinutes"/> when the log has grown.</summary>
public sealed class CheckpointTimer(CheckpointSealer sealer, IOptions<Setup.LendingOptions> options, TimeProvider clock,
    ILogger<CheckpointTimer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var minutes = options.Value.Evidence.CheckpointMinutes;
        if (minutes is < 1 or > 1440) throw new InvalidOperationException($"Lending:Evidence:CheckpointMinutes is {minutes}; it must be 1 to 1440.");
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try { await sealer.SealAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "Sealing a checkpoint failed; trying again next time"); }
        }
    }
}
