/**
 * The server under test under the harness's control: a child process it starts, watches and
 * restarts ({@code --exec}), or a command that restarts a target managed elsewhere ({@code --restart}).
 * What a dead server left behind (exit status, signal, the last lines of its stderr) is the crash
 * evidence a finding carries.
 */
package io.smtpharness.process;
