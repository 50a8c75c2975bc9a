using Lending.Api.Auth;
using Lending.Api.Setup;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine.Http;

namespace Lending.Api.Analytics;

/// <summary>
/// How far one async projection is behind the event store: the event sequence numbers it has still to pass (a
/// sequence number lost to a failed append counts until the projection passes it).
/// </summary>
public sealed record ProjectionProgress(string Name, long Sequence, long EventsBehind, DateTimeOffset? LastUpdated);

/// <param name="StandingAsideForRun">The close-of-business run the projections stand aside for on the node that answered
/// (they catch up once it has finished), or null while they work.</param>
public sealed record ProjectionLagResponse(long HighestSequence, IReadOnlyList<ProjectionProgress> Projections, Guid? StandingAsideForRun);

/// <summary>Reads the async daemon's progress table against the newest event.</summary>
public sealed class ProjectionLagReader(IDocumentStore store, BusinessDates.StandAsideWhileClosing standAside)
{
    public static readonly string[] AsyncProjections =
        [Lending.Projections.Analytics.PortfolioAnalyticsProjection.Name, Lending.Projections.Evidence.EvidenceLogProjection.ProjectionName];

    public async Task<ProjectionLagResponse> ReadAsync(CancellationToken ct)
    {
        await using var conn = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            select p.name, coalesce(s.last_seq_id, 0), s.last_updated, greatest(h.seq - coalesce(s.last_seq_id, 0), 0), h.seq
            from unnest(@names) with ordinality p(name, position)
            cross join (select coalesce(max(seq_id), 0) as seq from {MartenSetup.EventSchema}.mt_events) h
            left join {MartenSetup.EventSchema}.mt_event_progression s on s.name = p.name || ':All'
            order by p.position
            """, conn);
        cmd.Parameters.AddWithValue("names", AsyncProjections);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var (projections, highest) = (new List<ProjectionProgress>(), 0L);
        while (await reader.ReadAsync(ct))
        {
            projections.Add(new ProjectionProgress(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(3),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
            highest = reader.GetInt64(4);
        }
        return new ProjectionLagResponse(highest, projections, standAside.Current?.RunId);
    }
}

public static class GetProjectionLagEndpoint
{
    /// <summary>Each async projection's position and how many events it has still to process.</summary>
    [WolverineGet("/analytics/projections", OperationId = "GetProjectionLag")]
    [Authorize(Roles = Roles.Analysts)]
    [Tags("Risk analytics")]
    public static Task<ProjectionLagResponse> Get(ProjectionLagReader lag, CancellationToken ct) => lag.ReadAsync(ct);
}

/// <summary>Degraded (still serving) while an async projection is further behind than configured.</summary>
internal sealed class ProjectionLagCheck(ProjectionLagReader lag, IOptions<LendingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var progress = await lag.ReadAsync(ct);
            var data = progress.Projections.ToDictionary(p => p.Name, p => (object)p.EventsBehind);
            var behind = progress.Projections.Where(p => p.EventsBehind > options.Value.Analytics.MaxHealthyLag).ToList();
            // Behind by design while close of business has the machine (a stalled run releases them, see StandAsideWhileClosing).
            if (progress.StandingAsideForRun is { } run)
                return HealthCheckResult.Healthy($"Standing aside while close-of-business run {run} closes dates", data);
            return behind.Count == 0
                ? HealthCheckResult.Healthy("Projections caught up", data)
                : HealthCheckResult.Degraded($"Behind: {string.Join(", ", behind.Select(p => $"{p.Name} by {p.EventsBehind} events"))}", data: data);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Projection progress unreadable", e);
        }
    }
}
