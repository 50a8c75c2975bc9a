using Npgsql;
using Testcontainers.PostgreSql;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run against: the one named by <c>LENDING_TEST_POSTGRES</c> (the test command
/// starts a throwaway local server and sets it), otherwise a Testcontainers container where Docker runs.
/// Each fixture gets a database of its own on that server.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "LENDING_TEST_POSTGRES";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _server;

    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var server = await ServerAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(await ServerAsync());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> ServerAsync()
    {
        if (_server is not null) return _server;
        await Gate.WaitAsync();
        try
        {
            if (_server is not null) return _server;
            var configured = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(configured)) return _server = configured;

            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return _server = new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Database = "postgres" }.ConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }
}
