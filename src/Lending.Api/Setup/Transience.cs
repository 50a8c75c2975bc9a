namespace Lending.Api.Setup;

/// <summary>
/// Which failures are passing (retried) rather than defects. Marten wraps database errors (a
/// <c>MartenCommandException</c> around the <see cref="Npgsql.NpgsqlException"/>), so the whole chain of causes counts.
/// </summary>
public static class Transience
{
    /// <summary>A lost connection, a pool or command timeout, a deadlock or serialization failure, an admin shutdown.</summary>
    public static bool IsTransientDatabaseError(Exception e) =>
        e is Npgsql.NpgsqlException { IsTransient: true } || e.InnerException is { } inner && IsTransientDatabaseError(inner);

    /// <summary>Any database error, transient or not: worth a few retries before a message is given up.</summary>
    public static bool IsDatabaseError(Exception e) =>
        e is Npgsql.NpgsqlException || e.InnerException is { } inner && IsDatabaseError(inner);

    /// <summary>A conflict with a concurrent write, or a transient database error or timeout.</summary>
    public static bool IsTransient(Exception e) =>
        e is JasperFx.ConcurrencyException or TimeoutException or OperationCanceledException || IsTransientDatabaseError(e)
        || e.InnerException is JasperFx.ConcurrencyException or TimeoutException;
}
