package io.smtpharness.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server that follows RFC 5321 to the letter makes of the octets the client sent: only
 * CRLF ends a command line (§2.3.8), and in message content only CRLF "." CRLF ends the data
 * (§4.1.1.4); after a well-formed {@code BDAT n} line exactly n octets are chunk content, whatever
 * they hold (RFC 3030 §2, also when the server refuses the BDAT). Feeding it every send tells
 * which replies are owed, so raw, split and pipelined sends are judged like validated ones.
 * Mutable, one per connection.
 */
public final class ClientStream {

    /** A command line longer than this is not buffered further; the server may refuse it anyway. */
    private static final int MAX_BUFFERED = 64 * 1024;

    private final StringBuilder line = new StringBuilder();
    private boolean lastWasCr;
    private boolean inData;
    /** The last two octets of content, to find CRLF.CRLF across sends; data starts after a CRLF. */
    private String dataTail = "";
    /** Octets of a BDAT chunk still to come. */
    private long chunkLeft;

    /** The server accepted DATA (354): what follows is content. */
    public void startData() {
        inData = true;
        dataTail = "\r\n";
        line.setLength(0);
        lastWasCr = false;
    }

    /** The server showed it read what came so far differently (an early reply): start afresh. */
    public void resync() {
        inData = false;
        chunkLeft = 0;
        line.setLength(0);
        lastWasCr = false;
    }

    /** True while content is being sent. */
    public boolean inData() {
        return inData;
    }

    /** Consumes sent octets and returns what each completed line or end of data asks a reply for. */
    public List<Sent> feed(byte[] octets) {
        String text = new String(octets, StandardCharsets.ISO_8859_1);
        List<Sent> owed = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (chunkLeft > 0) {
                int take = (int) Math.min(chunkLeft, text.length() - i);
                chunkLeft -= take;
                i += take;
            } else {
                i = inData ? feedData(text, i, owed) : feedCommand(text, i, owed);
            }
        }
        return owed;
    }

    private int feedData(String text, int from, List<Sent> owed) {
        String window = dataTail + text.substring(from);
        int end = window.indexOf("\r\n.\r\n");
        if (end < 0) {
            dataTail = window.length() >= 4 ? window.substring(window.length() - 4) : window;
            return text.length();
        }
        owed.add(Sent.END_OF_DATA);
        inData = false;
        return from + end + 5 - dataTail.length();
    }

    private int feedCommand(String text, int from, List<Sent> owed) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && lastWasCr) {
                Sent sent = Sent.ofLine(line.substring(0, Math.max(0, line.length() - 1)));
                owed.add(sent);
                chunkLeft = Math.max(0, sent.chunkSize());
                line.setLength(0);
                lastWasCr = false;
                return i + 1;
            }
            lastWasCr = c == '\r';
            if (line.length() < MAX_BUFFERED) {
                line.append(c);
            }
        }
        return text.length();
    }
}
