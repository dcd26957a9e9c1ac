package io.smtpharness.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Where {@link HtmlReport} writes: a thin appender over a {@link Writer}, so the page streams to its
 * file instead of being built whole in memory (a run's transcripts can be tens of megabytes). An
 * I/O error surfaces as {@link UncheckedIOException}, which {@link HtmlReport#write} turns back.
 */
final class HtmlOut {

    private final Writer writer;

    HtmlOut(Writer writer) {
        this.writer = writer;
    }

    HtmlOut append(CharSequence text) {
        try {
            writer.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    HtmlOut append(char c) {
        return append(String.valueOf(c));
    }

    HtmlOut append(long number) {
        return append(Long.toString(number));
    }
}
