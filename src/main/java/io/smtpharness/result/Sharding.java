package io.smtpharness.result;

import java.util.List;
import java.util.Objects;

/**
 * What part of a whole run a sharded run did: its shard, and every case of the whole run in order
 * ({@code suite/id}), so that joining the parts can put them back in that order and name any case
 * that no part ran, or that two ran.
 *
 * @param shard    which part
 * @param wholeRun the cases of the whole run, in the order an unsharded run gives them
 */
public record Sharding(Shard shard, List<String> wholeRun) {

    public Sharding {
        Objects.requireNonNull(shard, "shard == null");
        wholeRun = List.copyOf(wholeRun);
    }
}
