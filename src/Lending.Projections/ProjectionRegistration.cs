using JasperFx.Events.Projections;
using Lending.Projections.Analytics;
using Lending.Projections.Collections;
using Lending.Projections.Evidence;
using Lending.Projections.Loans;
using Marten;

namespace Lending.Projections;

public static class ProjectionRegistration
{
    /// <summary>Registers every projection of the lending service with its lifecycle.</summary>
    /// <param name="queueWeights">The work queue's scoring weights (policy; <see cref="LendingPolicy.Default"/>'s when null).</param>
    public static StoreOptions AddLendingProjections(this StoreOptions options, Lending.Domain.WorkQueueWeights? queueWeights = null)
    {
        // Inline: the write model and read-your-writes views, with the work queues kept in the same transaction.
        var queue = new WorkQueueSchema(options.DatabaseSchemaName);
        options.Storage.ExtendedSchemaObjects.AddRange(queue.Objects());
        var references = new PaymentReferences(options.DatabaseSchemaName, options.Events.DatabaseSchemaName);
        options.Storage.ExtendedSchemaObjects.AddRange(references.Objects());
        // Close of business writes its batches of loans with this (LoanBatchWrite): one version-checked append for a batch.
        options.Storage.ExtendedSchemaObjects.Add(new AppendToLoanStreams(options.Events.DatabaseSchemaName));
        options.Events.EnableSideEffectsOnInlineProjections = true;
        options.Projections.Add(new LoanProjection(queue, queueWeights ?? Lending.Domain.LendingPolicy.Default.WorkQueue, references),
            ProjectionLifecycle.Inline);

        // Async (the daemon, HotCold: one node runs it): the risk analysts' pre-aggregated figures. A rebuild wipes
        // the per-loan state and every analytics table, then replays the event store.
        var analytics = new AnalyticsSchema(options.DatabaseSchemaName);
        options.Storage.ExtendedSchemaObjects.AddRange(analytics.Objects());
        // Columns for the roll-rate query, which reads every loan's row: no index on them (six indexes cost every one of the
        // projection's upserts and served no query).
        options.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(LoanAnalytics)) return;
            // Rewritten by every event of its loan: room on the page for the new version (HOT: these columns have no index).
            mapping.StorageParameters["fillfactor"] = 80;
            foreach (var column in LoanAnalyticsWrite.Duplicated)
                mapping.DuplicateField(column.Member, column.PgType, notNull: column.NotNull).ColumnName = column.Column;
        });
        options.Projections.Add(new PortfolioAnalyticsProjection(analytics), ProjectionLifecycle.Async, PortfolioAnalyticsProjection.Name,
            asyncConfiguration: o =>
            {
                // Pages of 2,000 events: a loan touched several times in a page is read and written once.
                o.BatchSize = 2_000;
                o.DeleteViewTypeOnTeardown<LoanAnalytics>();
                foreach (var table in analytics.Tables) o.DeleteDataInTableOnTeardown(table.QualifiedName);
            });

        // Async: the sealed log over every event of the store. Never torn down: a rebuild replays into it and changes nothing.
        var evidence = new EvidenceLogSchema(options.DatabaseSchemaName, options.Events.DatabaseSchemaName);
        options.Storage.ExtendedSchemaObjects.AddRange(evidence.Objects());
        options.Projections.Add(new EvidenceLogProjection(evidence), ProjectionLifecycle.Async, asyncConfiguration: o => o.BatchSize = 2_000);
        return options;
    }
}
