using JasperFx.CommandLine;
using Marten;
using Spectre.Console;

namespace Lending.Api.Portfolio;

public sealed class GenerateInput : NetCoreInput
{
    [Description("Loans to generate"), FlagAlias("loans", 'n')]
    public int LoansFlag { get; set; } = 10_000;

    [Description("Months of business dates, ending on today's business date"), FlagAlias("months", 'm')]
    public int MonthsFlag { get; set; } = 6;

    [Description("Random seed: the same seed gives the same portfolio"), FlagAlias("seed", 's')]
    public int SeedFlag { get; set; } = 20260101;

    [Description("Loan streams appended per transaction"), FlagAlias("batch-size", longAliasOnly: true)]
    public int BatchSizeFlag { get; set; } = 500;

    [Description("Transactions of one business date committed at once"), FlagAlias("parallelism", longAliasOnly: true)]
    public int ParallelismFlag { get; set; } = 4;
}

[Description("Generate a realistic portfolio through the domain into a fresh database (resumes an interrupted run)")]
public sealed class GenerateCommand : JasperFxAsyncCommand<GenerateInput>
{
    public override async Task<bool> Execute(GenerateInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var generator = host.Services.GetRequiredService<PortfolioGenerator>();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var options = new GeneratorOptions(input.LoansFlag, input.MonthsFlag, input.SeedFlag, input.BatchSizeFlag, input.ParallelismFlag);
        var started = System.Diagnostics.Stopwatch.StartNew();
        GeneratorProgress? last = null;
        try
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("business dates", maxValue: 1);
                    await generator.RunAsync(options, new Progress<GeneratorProgress>(p =>
                    {
                        last = p;
                        var rate = p.EventsThisRun / Math.Max(0.001, started.Elapsed.TotalSeconds);
                        task.MaxValue = p.Days;
                        task.Value = p.DaysDone;
                        task.Description = $"{p.Date:yyyy-MM-dd}  {p.LoansBooked:N0}/{options.Loans:N0} loans  {p.EventsAppended:N0} events  {rate:N0} events/s";
                    }), cancel.Token);
                });
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine($"[yellow]Interrupted after {last?.Date:yyyy-MM-dd}; run the same command again to resume.[/]");
            return false;
        }

        var seconds = started.Elapsed.TotalSeconds;
        AnsiConsole.MarkupLine($"Generated {options.Loans:N0} loans over {options.Months} months: {last?.EventsAppended:N0} events; " +
                               $"this run appended {last?.EventsThisRun:N0} in {seconds:N1} s ({(last?.EventsThisRun ?? 0) / Math.Max(0.001, seconds):N0} events/s).");
        return true;
    }
}
