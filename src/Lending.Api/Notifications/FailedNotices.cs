using Lending.Api.Auth;
using Lending.Api.Escalation;
using Lending.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;

namespace Lending.Api.Notifications;

/// <summary>A notice whose delivery was given up after its retries: the escalation action, and the last failure.</summary>
public sealed record FailedNoticeResponse(Guid Id, Guid LoanId, string Stage, string Action, DateOnly BusinessDate, string? Error,
    DateTimeOffset? FailedAt, bool RetryRequested);

public sealed record FailedNoticesResponse(IReadOnlyList<FailedNoticeResponse> Failed);

/// <summary>A retry of a dead-lettered notice was requested: the action runs again (the conduct guard judges anew).</summary>
public sealed record NoticeRetryResponse(Guid Id, string Status);

public static class FailedNoticesEndpoints
{
    [WolverineGet("/notices/failed", OperationId = "GetFailedNotices")]
    [Authorize(Roles = Roles.Admin)]
    [Tags("Notices")]
    [ProducesResponseType<FailedNoticesResponse>(StatusCodes.Status200OK)]
    public static async Task<FailedNoticesResponse> Get(Marten.IDocumentStore documents, CancellationToken ct)
    {
        // Wolverine's dead letters of escalation actions, newest first, read from its table in the service's database.
        await using var connection = documents.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(
            $"select id, body, exception_message, failed_at, replayable from {Setup.MartenSetup.MessageSchema}.wolverine_dead_letters " +
            "where message_type = any($1) order by failed_at desc limit 200", connection)
        {
            Parameters = { new() { Value = CarryOutEscalations.StoredTypes } },
        };
        var failed = new List<FailedNoticeResponse>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            // A close-of-business part's batch is dead-lettered only when the database failed its split, so none was sent on;
            // retrying it splits it again.
            foreach (var action in CarryOutEscalations.InStoredEnvelope(reader.GetFieldValue<byte[]>(1)))
                failed.Add(new FailedNoticeResponse(reader.GetGuid(0), action.LoanId, action.Stage.ToString(), action.Action.ToString(),
                    action.BusinessDate, reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), !reader.IsDBNull(4) && reader.GetBoolean(4)));
        }
        return new FailedNoticesResponse(failed);
    }

    [WolverinePost("/notices/failed/{id}/retry", OperationId = "RetryFailedNotice")]
    [Authorize(Roles = Roles.Admin)]
    [Tags("Notices")]
    [ProducesResponseType<NoticeRetryResponse>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Post(Guid id, IMessageStore store, CancellationToken ct)
    {
        var found = await store.DeadLetters.DeadLetterEnvelopeByIdAsync(id, null);
        if (found is null) throw new LendingRuleViolated("notice.failed_not_found", $"No failed notice {id}.", RefusalKind.NotFound);
        await store.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery { MessageIds = [id] }, ct);
        return Results.Accepted("/notices/failed", new NoticeRetryResponse(id, "retry_requested"));
    }
}
