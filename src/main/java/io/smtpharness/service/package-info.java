/**
 * The one way {@code run}, {@code fuzz}, {@code load} and the JUnit 5 integration reach a target, so
 * the library is exactly as safe as the command line: {@link io.smtpharness.service.RunSettings}
 * (what the user decided: waits, TLS, AUTH, rate, connections, delivery), from which the client's
 * and runner's options are derived in one place; {@link io.smtpharness.service.RunService} (the
 * embedded server or a guarded target, the preflight greeting, the scripted cases on the engine);
 * {@link io.smtpharness.service.TargetPolicy} (the safety policy per target). Knows nothing of picocli.
 */
package io.smtpharness.service;
