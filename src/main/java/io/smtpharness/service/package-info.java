/**
 * What {@code run}, {@code fuzz}, {@code load} and the JUnit 5 integration share, so the library is
 * as safe as the command line: today the safety policy for a target ({@link TargetPolicy}); the
 * engine that runs all four is to move here (issue 30). Knows nothing of picocli.
 */
package io.smtpharness.service;
