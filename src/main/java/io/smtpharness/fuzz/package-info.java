/**
 * Property-generated dialogues (fuzzing): jqwik arbitraries for every RFC 5321 command and
 * byte-level mutations ({@link io.smtpharness.fuzz.FuzzActions}), generated in order from the seed
 * and performed on several connections at once ({@link io.smtpharness.fuzz.TryPipeline}), one
 * action at a time over a live connection by the same execution that runs scripted suites, judged
 * after every action by the standard oracles plus liveness (hang) and crash invariants
 * ({@link io.smtpharness.fuzz.FuzzSession}), shrunk ({@link io.smtpharness.fuzz.Shrinker}) and
 * written out as replayable suite files ({@link io.smtpharness.fuzz.Fuzzer}).
 *
 * <p>Must not know report formats or Netty internals.
 */
package io.smtpharness.fuzz;
