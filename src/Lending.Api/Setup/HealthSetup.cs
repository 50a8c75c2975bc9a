using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Lending.Api.Setup;

public static class HealthSetup
{
    public static IServiceCollection AddLendingHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: ["ready"])
            .AddCheck<Analytics.ProjectionLagCheck>("projections", tags: ["ready"]);
        return services;
    }

    public static WebApplication MapLendingHealthChecks(this WebApplication app)
    {
        // Live: the process answers. Ready: it can also serve requests (database reachable, schema applied).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}

/// <summary>Ready when PostgreSQL answers and the event store, document and message tables exist.</summary>
internal sealed class DatabaseReadyCheck(IDocumentStore store) : IHealthCheck
{
    private static readonly string[] RequiredTables =
    [
        $"{MartenSetup.EventSchema}.mt_events",
        $"{MartenSetup.EventSchema}.mt_streams",
        $"{MartenSetup.DocumentSchema}.mt_doc_loan",
        $"{MartenSetup.MessageSchema}.wolverine_incoming_envelopes",
    ];

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var conn = store.Storage.Database.CreateConnection();
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("select array_agg(t) from unnest(@tables) t where to_regclass(t) is null", conn);
            cmd.Parameters.AddWithValue("tables", RequiredTables);
            var missing = await cmd.ExecuteScalarAsync(ct) as string[];
            return missing is { Length: > 0 }
                ? HealthCheckResult.Unhealthy($"Schema not applied: missing {string.Join(", ", missing)}")
                : HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable", e);
        }
    }
}
