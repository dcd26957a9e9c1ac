package io.smtpharness.fuzz;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.state.ActionChain;

/**
 * The fuzz property, run by {@link Fuzzer} through the JUnit Platform Launcher: any chain of
 * actions keeps every MUST rule, gets every reply in time, and never kills the session. jqwik
 * generates the chains from the batch seed and shrinks a failing one to a minimal dialogue.
 * Public only because the JUnit Platform instantiates it; it does nothing outside a fuzz run.
 */
public class FuzzProperties {

    @Property
    @AddLifecycleHook(FuzzHook.class)
    void dialoguesKeepTheRules(@ForAll("dialogues") ActionChain<FuzzSession> chain) {
        FuzzRun run = FuzzRun.current();
        if (run.overtime()) {
            // --duration used up: the rest of the batch passes without traffic, and shrinking (part of
            // the budget) keeps the smallest failure found so far
            return;
        }
        if (!run.shrinking()) {
            run.tries.incrementAndGet();
        }
        FuzzFailure seen = null;
        try {
            FuzzSession end = chain.withInvariant("rules, liveness, no crash", FuzzSession::check).run();
            end.finishAndCheck();
            if (!run.shrinking()) {
                run.record(end.steps());
            }
        } catch (RuntimeException | AssertionError thrown) {
            if (FuzzFailure.in(thrown).isEmpty()) {
                throw thrown;
            }
            FuzzFailure failure = FuzzFailure.in(thrown).get();
            seen = failure;
            boolean generating = !run.shrinking();
            if (generating && failure.kind == FuzzFailure.Kind.HANG) {
                run.hangConfirmed(); // it waited the full --timeout; repeats and shrinking suspect hangs early
            }
            if (generating) {
                run.record(failure.steps);
            }
            if (failure.kind == FuzzFailure.Kind.UNREACHABLE) {
                if (!run.controlled()) {
                    run.unreachable(failure.detail()); // a controlled target is brought back below instead
                }
                return;
            }
            if (run.failed(failure)) {
                throw failure;
            }
        } finally {
            run.closeOpenSessions();
            if (seen != null) {
                run.recover(seen);
            }
        }
    }

    @Provide
    Arbitrary<ActionChain<FuzzSession>> dialogues() {
        FuzzRun run = FuzzRun.current();
        return FuzzActions.addAll(ActionChain.startWith(() -> new FuzzSession(run)))
                .withMaxTransformations(run.options().maxActions());
    }
}
