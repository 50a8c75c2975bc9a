using Lending.Api.Setup;
using Lending.Api.Tests.Escalation;
using Lending.Api.Tests.Infrastructure;
using Npgsql;

namespace Lending.Api.Tests.Setup;

/// <summary>
/// A database made by an earlier version is brought up to date at start, by Marten's own schema migration: the loan's
/// assignee column (duplicated from the document, queried by nothing) and its index go, and the tables updated in
/// place get their fill factor.
/// </summary>
[Collection(RestartCollection.Name)]
public class SchemaUpgradeTests() : OwnDatabaseTest("lending_upgrade")
{
    private async Task<List<string>> Rows(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        return rows;
    }

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_database_with_the_single_column_close_of_business_index_gets_the_date_and_id_index_in_its_place()
    {
        await (await TestHosts.StartAsync(Database, Clock, Notices, solo: true, batchSize: 10)).DisposeAsync();
        // The index as Marten made it for the duplicated field until 7 December: the date alone.
        await Execute($"""
            drop index lending.{MartenSetup.CobIndexName};
            create index mt_doc_loan_idx_close_of_business_due_date on lending.mt_doc_loan (close_of_business_due_date)
              where close_of_business_due_date is not null;
            """);

        await (await TestHosts.StartAsync(Database, Clock, Notices, solo: true, batchSize: 10)).DisposeAsync();

        Assert.Equal([MartenSetup.CobIndexName], await Rows(
            "select indexname::text from pg_indexes where schemaname = 'lending' and tablename = 'mt_doc_loan' and indexname like '%close_of_business%'"));
    }

    [Fact]
    public async Task A_database_from_before_slim_loan_state_loses_the_assignee_column_and_gets_the_fill_factors()
    {
        await (await TestHosts.StartAsync(Database, Clock, Notices, solo: true, batchSize: 10)).DisposeAsync();
        // The earlier schema: the duplicated assignee with its index, tables at the default fill factor.
        await Execute("""
            alter table lending.mt_doc_loan add column assigned_to varchar;
            create index mt_doc_loan_idx_assigned_to on lending.mt_doc_loan (assigned_to);
            alter table lending.mt_doc_loan reset (fillfactor);
            alter table lending.mt_doc_loananalytics reset (fillfactor);
            alter table lending.work_queue reset (fillfactor);
            """);

        await (await TestHosts.StartAsync(Database, Clock, Notices, solo: true, batchSize: 10)).DisposeAsync();

        Assert.Empty(await Rows("select column_name::text from information_schema.columns where table_schema = 'lending' and table_name = 'mt_doc_loan' and column_name = 'assigned_to'"));
        Assert.Empty(await Rows("select indexname::text from pg_indexes where schemaname = 'lending' and indexname = 'mt_doc_loan_idx_assigned_to'"));
        foreach (var table in new[] { "mt_doc_loan", "mt_doc_loananalytics", "work_queue" })
            Assert.Equal("fillfactor=80", Assert.Single(await Rows(
                "select coalesce(array_to_string(c.reloptions, ','), '') from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
                $"where n.nspname = 'lending' and c.relname = '{table}'")));
    }
}
