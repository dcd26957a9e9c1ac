/**
 * The command line (picocli): {@code run}, {@code serve}, {@code rules}; option parsing and the
 * one mapping from exceptions to exit codes. Wiring only; nothing imports this package.
 */
package io.smtpharness.cli;
