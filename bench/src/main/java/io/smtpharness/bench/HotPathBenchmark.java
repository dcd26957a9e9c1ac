package io.smtpharness.bench;

import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.ReplyLine;
import io.smtpharness.protocol.ReplyParser;
import io.smtpharness.result.Finding;
import io.smtpharness.rules.Exchange;
import io.smtpharness.rules.Oracles;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionModel;
import io.smtpharness.transcript.Escaping;
import io.smtpharness.transcript.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-reply hot path of a run: assembling framed lines into a reply, judging it with every
 * oracle, and capturing the octets in a transcript. Inputs are what a typical server sends.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HotPathBenchmark {

    private static final String[] EHLO_LINES = {"250-mail.example.test greets client.example.test",
        "250-PIPELINING", "250-SIZE 10240000", "250-8BITMIME", "250-ENHANCEDSTATUSCODES", "250 HELP"};

    private List<ReplyLine> ehloLines;
    private Reply ehloReply;
    private Reply mailReply;
    private SessionModel greeted;
    private SessionModel afterEhlo;
    private Sent ehlo;
    private Sent mail;
    private byte[] command;
    private String serverOctets;

    @Setup
    public void setUp() {
        ehloLines = java.util.Arrays.stream(EHLO_LINES).map(ReplyLine::of).toList();
        ehloReply = Reply.parse(String.join("\r\n", EHLO_LINES) + "\r\n");
        mailReply = Reply.parse("250 2.1.0 Ok\r\n");
        greeted = SessionModel.connected().after(Sent.GREETING, Reply.parse("220 mail.example.test ESMTP\r\n"));
        ehlo = Sent.ofLine("EHLO client.example.test");
        mail = Sent.ofLine("MAIL FROM:<sender@example.test>");
        afterEhlo = greeted.after(ehlo, ehloReply);
        command = "MAIL FROM:<sender@example.test> SIZE=1024\r\n".getBytes(StandardCharsets.US_ASCII);
        serverOctets = String.join("\r\n", EHLO_LINES) + "\r\n";
    }

    /** Six framed lines of an EHLO reply into one reply, with its syntax checks. */
    @Benchmark
    public Optional<Reply> parseEhloReply() {
        ReplyParser parser = new ReplyParser(1000);
        Optional<Reply> reply = Optional.empty();
        for (ReplyLine line : ehloLines) {
            reply = parser.accept(line);
        }
        return reply;
    }

    /** Every standard oracle on the EHLO reply (the richest reply of a session). */
    @Benchmark
    public List<Finding> judgeEhloReply() {
        return Oracles.judge(new Exchange(greeted, Optional.of(ehlo), ehloReply));
    }

    /** Every standard oracle on a one-line 250 to MAIL, plus the model's step: the common case. */
    @Benchmark
    public void judgeMailReply(Blackhole hole) {
        hole.consume(Oracles.judge(new Exchange(afterEhlo, Optional.of(mail), mailReply)));
        hole.consume(afterEhlo.after(mail, mailReply));
    }

    /** Capturing one command and one multi-line reply, escaped, in a fresh transcript. */
    @Benchmark
    public Transcript captureTranscript() {
        Transcript transcript = new Transcript();
        transcript.client(command);
        transcript.server(serverOctets);
        return transcript;
    }

    /** Escaping alone, for the octets of a command line. */
    @Benchmark
    public String escapeCommand() {
        return Escaping.escape(command);
    }
}
