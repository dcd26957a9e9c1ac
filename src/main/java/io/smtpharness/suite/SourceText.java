package io.smtpharness.suite;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns the octets of a suite file into text, refusing what the YAML layer should never see. */
final class SourceText {

    /** Suites are hand-written dialogues; anything larger is a mistake or an attack on the parser. */
    static final int MAX_BYTES = 1024 * 1024;

    private SourceText() {
    }

    /** The file's text: bounded, strict UTF-8 (a BOM is dropped), and not blank. */
    static String decode(String name, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name);
        }
        int start = hasBom(bytes) ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        String text;
        try {
            CharBuffer chars = decoder.decode(in);
            text = chars.toString();
        } catch (CharacterCodingException e) {
            // the decoder stops at the bad octet, so in.position() tells us which line it is on
            int bad = in.position();
            throw new SuiteException(name, lineOf(bytes, bad),
                    String.format("file is not UTF-8 (invalid byte 0x%02x at offset %d)", bytes[bad] & 0xff, bad));
        }
        if (text.isBlank()) {
            throw new SuiteException(name, 0, "file is empty; a suite needs at least 'suite:' and 'cases:'");
        }
        return text;
    }

    /** The error for a file over {@link #MAX_BYTES}, also used before reading a large file at all. */
    static SuiteException tooLarge(String name) {
        return new SuiteException(name, 0, "file is larger than " + MAX_BYTES + " bytes (1 MiB); refusing to read it");
    }

    private static boolean hasBom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
