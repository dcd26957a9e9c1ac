package io.smtpharness.fuzz;

import io.smtpharness.dialogue.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A second shrinking pass after jqwik's, on the actions a failing dialogue performed: jqwik removes
 * whole actions, but does not take a pipelined write apart. This pass splits pipelined writes into
 * single commands and drops every action the failure does not need, as long as the same failure
 * (kind and rule) still happens on a fresh connection.
 */
final class Minimizer {

    /** Candidates tried at most, and for how long, so a slow (hanging) failure cannot take long. */
    private static final int MAX_CANDIDATES = 60;
    private static final long MAX_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private final FuzzRun run;
    private final long deadline = System.nanoTime() + MAX_NANOS;
    private int tried;

    Minimizer(FuzzRun run) {
        this.run = run;
    }

    /** The smallest failure found, {@code failure} itself if nothing smaller fails the same way. */
    FuzzFailure minimize(FuzzFailure failure) {
        FuzzFailure best = failure;
        List<FuzzAction> split = splitPipelines(failure.actions);
        if (split.size() != failure.actions.size()) {
            best = attempt(split, failure).orElse(best);
        }
        boolean progress = true;
        while (progress && more()) {
            progress = false;
            for (int i = best.actions.size() - 1; i >= 0 && more(); i--) {
                List<FuzzAction> fewer = new ArrayList<>(best.actions);
                fewer.remove(i);
                Optional<FuzzFailure> smaller = attempt(fewer, failure);
                if (smaller.isPresent()) {
                    best = smaller.get();
                    progress = true;
                }
            }
        }
        return best;
    }

    /** Within its own bounds and the run's --duration, which shrinking is part of. */
    private boolean more() {
        return tried < MAX_CANDIDATES && System.nanoTime() - deadline < 0 && run.nanosLeft() > 0;
    }

    /** Runs {@code actions} on a fresh session; the failure, if it is the same kind and rule. */
    private Optional<FuzzFailure> attempt(List<FuzzAction> actions, FuzzFailure target) {
        tried++;
        FuzzSession session = null;
        FuzzFailure seen = null;
        try {
            session = new FuzzSession(run);
            for (FuzzAction a : actions) {
                session.perform(a);
                session.check();
            }
            session.finishAndCheck();
            return Optional.empty();
        } catch (FuzzFailure f) {
            seen = f;
            return f.key().equals(target.key()) ? Optional.of(f) : Optional.empty();
        } finally {
            run.closeOpenSessions();
            if (seen != null) {
                run.recover(seen); // the next candidate meets a fresh server
            }
        }
    }

    private static List<FuzzAction> splitPipelines(List<FuzzAction> actions) {
        List<FuzzAction> out = new ArrayList<>();
        for (FuzzAction a : actions) {
            if (!a.pipelined()) {
                out.add(a);
                continue;
            }
            String wire = ((Step.SendRaw) a.sends().get(0)).text();
            for (String line : wire.split("\r\n")) {
                out.add(FuzzAction.send(line));
            }
        }
        return out;
    }
}
