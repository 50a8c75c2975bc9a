using System.Data.Common;
using Lending.Projections.Loans;
using Marten.Internal;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Postgresql;
using OperationRole = Weasel.Core.OperationRole;

namespace Lending.Projections.Analytics;

/// <summary>
/// A daemon page's <see cref="LoanAnalytics"/> rows in one statement, where storing each document would be one
/// statement per loan (a page of 2,000 events touches about as many loans). It writes the columns Marten writes for a
/// stored document, with the same serializer: the replay's rows (<see cref="AnalyticsReplay"/>, Marten's bulk insert)
/// and the queries over the table see no difference.
/// </summary>
public sealed class LoanAnalyticsWrite(IReadOnlyCollection<LoanAnalytics> rows, AnalyticsSchema schema)
    : Marten.Internal.Operations.IStorageOperation, Weasel.Storage.NoDataReturnedCall // no result set for the batch's reader to step over
{
    /// <summary>
    /// The row's columns beside its document, for the roll-rate query (which reads every row, so they have no index):
    /// registered with Marten as duplicated fields from this list, written by this operation from the same list.
    /// </summary>
    public static readonly IReadOnlyList<DuplicatedColumn> Duplicated =
    [
        new(nameof(LoanAnalytics.LastDate), "last_date", "date", NotNull: false, NpgsqlDbType.Date, rows => rows.Select(r => r.LastDate).ToArray()),
        new(nameof(LoanAnalytics.State), "state", "varchar", NotNull: true, NpgsqlDbType.Varchar, rows => rows.Select(r => r.State).ToArray()),
        new(nameof(LoanAnalytics.Product), "product", "varchar", NotNull: true, NpgsqlDbType.Varchar, rows => rows.Select(r => r.Product).ToArray()),
        new(nameof(LoanAnalytics.Region), "region", "varchar", NotNull: true, NpgsqlDbType.Varchar, rows => rows.Select(r => r.Region).ToArray()),
        new(nameof(LoanAnalytics.Branch), "branch", "varchar", NotNull: true, NpgsqlDbType.Varchar, rows => rows.Select(r => r.Branch).ToArray()),
        new(nameof(LoanAnalytics.PrincipalOutstanding), "principal_outstanding", "numeric", NotNull: true, NpgsqlDbType.Numeric,
            rows => rows.Select(r => r.PrincipalOutstanding).ToArray()),
    ];

    public void ConfigureCommand(Weasel.Postgresql.ICommandBuilder builder, Weasel.Storage.IStorageSession session)
    {
        var serializer = ((IMartenSession)session).Serializer;
        var list = rows.ToList();
        var columns = string.Join(", ", Duplicated.Select(c => c.Column));
        builder.Append($"insert into {schema.LoanStates.QualifiedName} (id, data, mt_version, mt_dotnet_type, mt_last_modified, {columns}) " +
                       "select d.id, d.data, d.version, ");
        var type = builder.AppendParameter(typeof(LoanAnalytics).FullName!);
        type.NpgsqlDbType = NpgsqlDbType.Varchar;
        builder.Append($", transaction_timestamp(), {string.Join(", ", Duplicated.Select(c => "d." + c.Column))} from unnest(");
        LoanBatchWrite.Parameter(builder, list.Select(r => r.Id).ToArray(), NpgsqlDbType.Uuid); builder.Append(", ");
        LoanBatchWrite.Parameter(builder, list.Select(r => serializer.ToJson(r)).ToArray(), NpgsqlDbType.Jsonb); builder.Append(", ");
        // A fresh version per write, as Marten's store gives a document without optimistic concurrency.
        LoanBatchWrite.Parameter(builder, list.Select(_ => Guid.CreateVersion7()).ToArray(), NpgsqlDbType.Uuid); builder.Append(", ");
        for (var i = 0; i < Duplicated.Count; i++)
        {
            var parameter = builder.AppendParameter(Duplicated[i].Values(list));
            parameter.NpgsqlDbType = NpgsqlDbType.Array | Duplicated[i].Type;
            if (i < Duplicated.Count - 1) builder.Append(", ");
        }
        builder.Append($") as d(id, data, version, {columns}) on conflict (id) do update set data = excluded.data, " +
                       "mt_version = excluded.mt_version, mt_dotnet_type = excluded.mt_dotnet_type, mt_last_modified = excluded.mt_last_modified, " +
                       string.Join(", ", Duplicated.Select(c => $"{c.Column} = excluded.{c.Column}")));
    }

    public Type DocumentType => typeof(LoanAnalytics);

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Upsert;
}

/// <param name="Member">The <see cref="LoanAnalytics"/> property.</param>
/// <param name="Values">The column's values for a list of rows, as an array Npgsql sends.</param>
public sealed record DuplicatedColumn(string Member, string Column, string PgType, bool NotNull, NpgsqlDbType Type,
    Func<IReadOnlyList<LoanAnalytics>, object> Values);
