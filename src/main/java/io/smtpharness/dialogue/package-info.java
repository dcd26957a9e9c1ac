/**
 * Dialogues and the runner shared by scripted and generated cases: a sealed {@link
 * io.smtpharness.dialogue.Step}, {@link io.smtpharness.dialogue.Dialogue}, and the runner that drives
 * a connection, applies every oracle to every reply and produces a case result.
 * Must not import YAML, jqwik or report formats.
 */
package io.smtpharness.dialogue;
