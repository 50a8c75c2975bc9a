using Lending.Domain;

namespace Lending.Domain.Tests;

/// <summary>Given events, when a decision, then events or a refusal with its code.</summary>
public sealed class Specification<TState>(Func<TState?, object, TState> evolve) where TState : class
{
    private TState? _state;

    public Specification<TState> Given(params object[] events)
    {
        _state = events.Aggregate(_state, (s, e) => evolve(s, e));
        return this;
    }

    public Outcome When(Func<TState?, object> decide)
    {
        try { return new Outcome(decide(_state), null); }
        catch (LendingRuleViolated refused) { return new Outcome(null, refused); }
    }

    public sealed record Outcome(object? Event, LendingRuleViolated? Refusal)
    {
        public T Then<T>()
        {
            Assert.Null(Refusal);
            return Assert.IsType<T>(Event);
        }

        public void ThenRefused(string code, RefusalKind kind = RefusalKind.Unprocessable)
        {
            Assert.Null(Event);
            Assert.NotNull(Refusal);
            Assert.Equal(code, Refusal!.Code);
            Assert.Equal(kind, Refusal.Kind);
        }
    }
}
