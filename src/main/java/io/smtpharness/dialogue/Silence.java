package io.smtpharness.dialogue;

/** What a missing reply means to the step that waits for it ({@link Conversation#next}). */
enum Silence {
    /** The harness cannot judge the rest: the case ends in error (a hang, to a fuzzer). */
    ERROR,
    /** The step cites 2920-3.2-FLUSH-WHEN-IDLE for a pipelined command: it waits 5 s, and silence breaks that rule. */
    FLUSH_BREACH,
    /** The step cites 5321-4.2-ONE-REPLY: silence for the full wait breaks it, and the session is dropped. */
    ONE_REPLY_BREACH
}
