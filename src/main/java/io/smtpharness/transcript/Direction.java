package io.smtpharness.transcript;

/** Who produced a transcript event: the client (harness), the server, or the harness as a note. */
public enum Direction {
    C, S, NOTE
}
