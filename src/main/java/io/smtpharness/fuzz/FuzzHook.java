package io.smtpharness.fuzz;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.FixedSeedMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Gives the fuzz property the seed and tries of the current batch, so no seed is written into an
 * annotation and jqwik never falls back to a previous run's seed from its database.
 */
public final class FuzzHook implements AroundPropertyHook {

    /** Outermost, so jqwik has not fixed the seed yet when this hook sets it. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        FuzzRun run = FuzzRun.current();
        context.attributes().setSeed(Long.toString(run.batchSeed));
        context.attributes().setTries(run.batchTries);
        context.attributes().setAfterFailure(AfterFailureMode.RANDOM_SEED);
        context.attributes().setWhenFixedSeed(FixedSeedMode.ALLOW);
        context.attributes().setEdgeCases(EdgeCasesMode.NONE);
        return property.execute();
    }
}
