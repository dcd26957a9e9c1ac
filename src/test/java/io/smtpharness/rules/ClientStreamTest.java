package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientStreamTest {

    private static List<Sent> feed(ClientStream stream, String octets) {
        return stream.feed(octets.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void pipelinedCommandsAreOwedOneReplyEach() {
        List<Sent> owed = feed(new ClientStream(), "MAIL FROM:<>\r\nRCPT TO:<a@b>\r\nDATA\r\n");
        assertThat(owed).extracting(Sent::kind).containsExactly(CommandKind.MAIL, CommandKind.RCPT, CommandKind.DATA);
    }

    @Test
    void commandSplitAcrossWritesIsOneCommand() {
        ClientStream stream = new ClientStream();
        assertThat(feed(stream, "NO")).isEmpty();
        assertThat(feed(stream, "OP\r")).isEmpty();
        assertThat(feed(stream, "\n")).extracting(Sent::kind).containsExactly(CommandKind.NOOP);
    }

    @Test
    void bareLfDoesNotEndACommand() {
        ClientStream stream = new ClientStream();
        assertThat(feed(stream, "NOOP\n")).isEmpty();
        assertThat(feed(stream, "\r\n")).singleElement()
                .satisfies(s -> assertThat(s.text()).isEqualTo("NOOP\\n"));
    }

    @Test
    void onlyCrlfDotCrlfEndsData() {
        ClientStream stream = new ClientStream();
        stream.startData();
        assertThat(feed(stream, "a\n.\nb\r.\rc\r\n.\nd\n.\r\n")).isEmpty();
        assertThat(feed(stream, ".\r\n")).containsExactly(Sent.END_OF_DATA);
    }

    @Test
    void emptyMessageEndsAtOnce() {
        ClientStream stream = new ClientStream();
        stream.startData();
        assertThat(feed(stream, ".\r\nQUIT\r\n")).extracting(Sent::kind)
                .containsExactly(CommandKind.END_OF_DATA, CommandKind.QUIT);
    }

    @Test
    void endOfDataSplitAcrossWritesIsFound() {
        ClientStream stream = new ClientStream();
        stream.startData();
        assertThat(feed(stream, "body\r")).isEmpty();
        assertThat(feed(stream, "\n.")).isEmpty();
        assertThat(feed(stream, "\r\n")).containsExactly(Sent.END_OF_DATA);
    }

    @Test
    void aBdatChunkIsContentWhateverItHolds() {
        ClientStream stream = new ClientStream();
        List<Sent> owed = feed(stream, "BDAT 12 LAST\r\nNOOP\r\nNOOP\r\nNOOP\r\n");
        assertThat(owed).extracting(Sent::kind).containsExactly(CommandKind.BDAT, CommandKind.NOOP);
        assertThat(owed.get(0).isLastChunk()).isTrue();
    }

    @Test
    void aChunkSplitAcrossWritesAndPipelinedChunks() {
        ClientStream stream = new ClientStream();
        assertThat(feed(stream, "BDAT 10\r\n01234")).extracting(Sent::chunkSize).containsExactly(10L);
        assertThat(feed(stream, "\r\n.\r\nBDAT 0 LAST\r\nBDAT 2 LAST\r\nxy"))
                .extracting(Sent::chunkSize).containsExactly(0L, 2L);
    }

    @Test
    void aMalformedBdatReadsNoChunk() {
        ClientStream stream = new ClientStream();
        assertThat(feed(stream, "BDAT x\r\nNOOP\r\nBDAT 5 FIRST\r\nNOOP\r\n"))
                .extracting(Sent::kind).containsExactly(CommandKind.BDAT, CommandKind.NOOP, CommandKind.BDAT, CommandKind.NOOP);
    }
}
