package io.smtpharness.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SMTP replies off a plain socket, line by line, for fixture tests that check a real server
 * without the harness's own client (so a harness bug cannot hide a broken fixture).
 */
public final class RawReplies {

    private RawReplies() {
    }

    /** One (possibly multi-line) reply: lines up to the first whose fourth character is not '-'. */
    public static List<String> read(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed after " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }
}
