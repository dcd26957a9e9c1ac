package io.smtpharness.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Deviation.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyParserTest {

    @Test
    void singleLineReplyHasNoDeviations() {
        Reply reply = Reply.parse("250 2.0.0 OK\r\n");
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.deviations()).isEmpty();
        assertThat(reply.texts()).containsExactly("2.0.0 OK");
    }

    @Test
    void multilineReplyEndsAtTheLineWithSpace() {
        ReplyParser parser = new ReplyParser(100);
        assertThat(parser.accept(ReplyLine.of("250-mx.example"))).isEmpty();
        assertThat(parser.accept(ReplyLine.of("250-SIZE 1000"))).isEmpty();
        Optional<Reply> reply = parser.accept(ReplyLine.of("250 HELP"));
        assertThat(reply).isPresent();
        assertThat(reply.get().lines()).hasSize(3);
        assertThat(reply.get().deviations()).isEmpty();
    }

    @Test
    void mixedCodesInMultilineReplyAreFlagged() {
        Reply reply = Reply.parse("250-A\r\n251 B\r\n");
        assertThat(reply.has(Kind.MIXED_CODES)).isTrue();
        assertThat(reply.code()).isEqualTo(250);
    }

    @Test
    void bareCodeWithoutTextIsLegalButNoted() {
        Reply reply = Reply.parse("250\r\n");
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.deviations()).extracting(Deviation::kind).containsExactly(Kind.CODE_WITHOUT_SP);
    }

    @Test
    void emptyTextAfterSpaceIsFine() {
        assertThat(Reply.parse("250 \r\n").deviations()).isEmpty();
    }

    @Test
    void bareLfLineEndIsFlagged() {
        assertThat(Reply.parse("250 OK\n").has(Kind.BARE_LF)).isTrue();
    }

    @Test
    void bareCrInsideLineIsFlagged() {
        assertThat(Reply.parse("250 O\rK\r\n").has(Kind.BARE_CR)).isTrue();
    }

    @Test
    void codesOutsideTheGrammarAreFlagged() {
        for (String wire : new String[] {"260 x\r\n", "199 x\r\n", "611 x\r\n", "25 x\r\n", "2500 x\r\n", "abc\r\n"}) {
            assertThat(Reply.parse(wire).deviations()).as(wire)
                    .extracting(Deviation::kind).containsAnyOf(Kind.BAD_CODE, Kind.BAD_SEPARATOR, Kind.BAD_FIRST_DIGIT);
        }
    }

    @Test
    void firstDigitOutsideTwoToFiveIsItsOwnDeviation() {
        assertThat(Reply.parse("199 x\r\n").deviations()).extracting(Deviation::kind).containsExactly(Kind.BAD_FIRST_DIGIT);
        assertThat(Reply.parse("611 x\r\n").deviations()).extracting(Deviation::kind).containsExactly(Kind.BAD_FIRST_DIGIT);
        assertThat(Reply.parse("260 x\r\n").deviations()).extracting(Deviation::kind).containsExactly(Kind.BAD_CODE);
    }

    @Test
    void garbageLineEndsTheReplyInsteadOfKeepingItOpen() {
        ReplyParser parser = new ReplyParser(100);
        parser.accept(ReplyLine.of("250-first"));
        Optional<Reply> reply = parser.accept(ReplyLine.of("garbage"));
        assertThat(reply).isPresent();
        assertThat(reply.get().has(Kind.BAD_CODE)).isTrue();
    }

    @Test
    void lineOver512OctetsIsFlagged() {
        assertThat(Reply.parse("250 " + "x".repeat(600) + "\r\n").has(Kind.LINE_TOO_LONG)).isTrue();
        assertThat(Reply.parse("250 " + "x".repeat(506) + "\r\n").has(Kind.LINE_TOO_LONG)).isFalse();
    }

    @Test
    void endlessContinuationIsCutAtTheCap() {
        ReplyParser parser = new ReplyParser(3);
        parser.accept(ReplyLine.of("250-a"));
        parser.accept(ReplyLine.of("250-b"));
        Optional<Reply> reply = parser.accept(ReplyLine.of("250-c"));
        assertThat(reply).isPresent();
        assertThat(reply.get().has(Kind.TOO_MANY_LINES)).isTrue();
    }

    @Test
    void partialReplyAtCloseIsReturnedAsUnterminated() {
        ReplyParser parser = new ReplyParser(100);
        parser.accept(ReplyLine.of("250-a"));
        assertThat(parser.finishPartial()).get().satisfies(r -> assertThat(r.has(Kind.UNTERMINATED)).isTrue());
        assertThat(parser.hasPartial()).isFalse();
    }

    @Test
    void nonAsciiTextIsFlagged() {
        assertThat(Reply.parse("250 caf\u00e9\r\n").has(Kind.NON_ASCII_TEXT)).isTrue();
    }
}
