using Lending.Domain.Analytics;
using Lending.Projections.Analytics;
using Marten;
using Npgsql;

namespace Lending.Api.Analytics;

/// <summary>Which part of the book a question is about; null matches everything.</summary>
public sealed record PortfolioFilter(string? Product, string? Region, string? Branch)
{
    public string Sql(string alias) =>
        $"(@product::varchar is null or {alias}.product = @product) and (@region::varchar is null or {alias}.region = @region) " +
        $"and (@branch::varchar is null or {alias}.branch = @branch)";

    public void AddTo(NpgsqlCommand command)
    {
        command.Parameters.Add(new NpgsqlParameter("product", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)Product ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("region", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)Region ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("branch", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)Branch ?? DBNull.Value });
    }
}

/// <summary>
/// Reads the analytics projection's pre-aggregated tables. Every query reads rows per portfolio cell, cohort day or
/// collector day, never the loans' streams.
/// </summary>
public sealed class AnalyticsStore(IDocumentStore store, AnalyticsSchema schema)
{
    /// <summary>Each cell's latest row on or before the date: the cell as it stood at the end of that date.</summary>
    public Task<List<BucketFigures>> DelinquencyAsync(DateOnly asOf, PortfolioFilter filter, CancellationToken ct) =>
        QueryAsync($"""
            select c.bucket, sum(h.loans)::bigint, sum(h.principal_outstanding), sum(h.total_outstanding)
            from {schema.Cells} c cross join lateral (
              select loans, principal_outstanding, total_outstanding from {schema.History} h
              where h.product = c.product and h.region = c.region and h.branch = c.branch and h.bucket = c.bucket
                and h.business_date <= @as_of
              order by h.business_date desc limit 1) h
            where {filter.Sql("c")}
            group by c.bucket
            """, filter, cmd => cmd.Parameters.AddWithValue("as_of", asOf),
            r => new BucketFigures(r.GetString(0), r.GetInt64(1), r.GetDecimal(2), r.GetDecimal(3)), ct);

    /// <summary>
    /// Each loan's state at both month-ends: its month-end row, or, for a loan with no event since that month-end,
    /// its current state.
    /// </summary>
    public Task<List<RollTransition>> TransitionsAsync(DateOnly from, DateOnly to, PortfolioFilter filter, CancellationToken ct) =>
        QueryAsync($"""
            with at_from as (
              select loan_id, state, principal_outstanding from {schema.MonthEnds} m where m.month_end = @from and {filter.Sql("m")}
              union all
              select id, state, principal_outstanding from {schema.LoanStates} a where a.last_date <= @from and {filter.Sql("a")}
            ), at_to as (
              select loan_id, state from {schema.MonthEnds} m where m.month_end = @to
              union all
              select id, state from {schema.LoanStates} a where a.last_date <= @to
            )
            select f.state, t.state, count(*), sum(f.principal_outstanding)
            from at_from f join at_to t on t.loan_id = f.loan_id
            where f.state not in ('{RollState.PaidOff}', '{RollState.Settled}', '{RollState.WrittenOff}')
            group by f.state, t.state
            """, filter, cmd =>
            {
                cmd.Parameters.AddWithValue("from", from);
                cmd.Parameters.AddWithValue("to", to);
            }, r => new RollTransition(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetDecimal(3)), ct);

    public Task<List<CohortDay>> CohortsAsync(DateOnly asOf, PortfolioFilter filter, CancellationToken ct) =>
        QueryAsync($"""
            select cohort, business_date, sum(disbursed)::bigint, sum(reached)::bigint from {schema.Cohorts} c
            where c.business_date <= @as_of and {filter.Sql("c")}
            group by cohort, business_date
            """, filter, cmd => cmd.Parameters.AddWithValue("as_of", asOf),
            r => new CohortDay(r.GetFieldValue<DateOnly>(0), r.GetFieldValue<DateOnly>(1), r.GetInt64(2), r.GetInt64(3)), ct);

    public Task<List<CollectorActivity>> CollectorsAsync(DateOnly from, DateOnly to, PortfolioFilter filter, CancellationToken ct) =>
        QueryAsync($"""
            select assignee, sum(contacts)::bigint, sum(right_party_contacts)::bigint, sum(promises_made)::bigint,
                   sum(promises_kept)::bigint, sum(promises_broken)::bigint, sum(recovered)
            from {schema.Collectors} c
            where c.business_date between @from and @to and {filter.Sql("c")}
            group by assignee order by assignee
            """, filter, cmd =>
            {
                cmd.Parameters.AddWithValue("from", from);
                cmd.Parameters.AddWithValue("to", to);
            }, r => new CollectorActivity(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetDecimal(6)), ct);

    private async Task<List<T>> QueryAsync<T>(string sql, PortfolioFilter filter, Action<NpgsqlCommand> parameters,
        Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, (NpgsqlConnection)conn);
        filter.AddTo(cmd);
        parameters(cmd);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }
}
