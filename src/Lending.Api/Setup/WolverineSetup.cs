using JasperFx;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Lending.Api.Setup;

public static class WolverineSetup
{
    public static IHostBuilder AddLendingWolverine(this IHostBuilder host) => host.UseWolverine(opts =>
    {
        opts.UseRuntimeCompilation();
        // Handlers and endpoints run the code generated ahead of time into Internal/Generated (./lending codegen): a node
        // just started serves its first requests and messages without compiling them (about a second each, measured on
        // the first close of business and the first REST calls). A handler whose code is missing is still compiled at
        // first use; GeneratedCodeTests fails until it is generated.
        opts.CodeGeneration.TypeLoadMode = JasperFx.CodeGeneration.TypeLoadMode.Auto;
        // Never into the source tree at run time: only ./lending codegen writes that code.
        opts.CodeGeneration.SourceCodeWritingEnabled = false;
        // One transaction per command or message: events, documents and outgoing messages commit together.
        opts.Policies.AutoApplyTransactions();
        // Local queues are backed by the database inbox/outbox: a crashed node's work is picked up again.
        opts.Policies.UseDurableLocalQueues();
        opts.Durability.Mode = DurabilityMode.Balanced;
        // Wolverine counts its inbox by status for its metrics, by default every 5 s: a scan of every envelope it keeps
        // (handled ones for a while, notices held for quiet hours), 0.7 s a count on the million-loan book after a close of
        // business, 6.6% of PostgreSQL's time under load. Once a minute is enough for a dashboard.
        opts.Durability.UpdateMetricsPeriod = TimeSpan.FromMinutes(1);

        // Database errors, also when Marten wraps them (MartenCommandException): a lost connection or a pool timeout passes.
        opts.OnException(Transience.IsDatabaseError, "a database error").RetryWithCooldown(
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        // A payment landing on a loan while its close-of-business batch runs: retry the batch on fresh state.
        opts.OnException<JasperFx.ConcurrencyException>().RetryWithCooldown(
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
    });
}
