using Lending.Domain;

namespace Lending.Domain.Tests;

/// <summary>Given events, when a decision, then events or a refusal with its code.</summary>
public sealed class Specification<TState>(Func<TState?, object, TState> evolve) where TState : class
{
    public TState? State { get; private set; }

    public Specification<TState> Given(params object[] events)
    {
        State = events.Aggregate(State, (s, e) => evolve(s, e));
        return this;
    }

    public Specification<TState> Given(IEnumerable<object> events) => Given(events.ToArray());

    public Outcome When(Func<TState?, IEnumerable<object>> decide)
    {
        try { return new Outcome([.. decide(State)], null); }
        catch (LendingRuleViolated refused) { return new Outcome(null, refused); }
    }

    public Outcome When(Func<TState?, object> decide) => When(s => (IEnumerable<object>)[decide(s)]);

    public sealed record Outcome(IReadOnlyList<object>? Events, LendingRuleViolated? Refusal)
    {
        /// <summary>The one event of type <typeparamref name="T"/> the decision produced.</summary>
        public T Then<T>()
        {
            Assert.Null(Refusal);
            return Assert.Single(Events!.OfType<T>());
        }

        public IReadOnlyList<object> ThenEvents()
        {
            Assert.Null(Refusal);
            return Events!;
        }

        public void ThenNothing()
        {
            Assert.Null(Refusal);
            Assert.Empty(Events!);
        }

        public void ThenRefused(string code, RefusalKind kind = RefusalKind.Unprocessable)
        {
            Assert.Null(Events);
            Assert.NotNull(Refusal);
            Assert.Equal(code, Refusal!.Code);
            Assert.Equal(kind, Refusal.Kind);
        }
    }
}
