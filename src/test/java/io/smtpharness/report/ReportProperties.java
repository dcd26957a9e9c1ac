package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import org.w3c.dom.Document;

/** Whatever text a server or suite file puts into a result, every report stays well-formed. */
@PropertyDefaults(tries = 200)
class ReportProperties {

    @Property
    void junitXmlParsesWhateverTheText(@ForAll("hostile") String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JunitXml.write(run(text), out);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(out.toByteArray()));
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
    }

    @Property
    void htmlNeverContainsMarkupFromTheText(@ForAll("hostile") String text) {
        String html = new HtmlReport().render(run(text));

        // the text's letters are ones none of our tags start with, so a '<' or "</" followed by
        // anything but a-u (or '!' of the doctype) can only come from unescaped text
        assertThat(html).doesNotContainPattern("<(?![a-u!/])").doesNotContainPattern("</(?![a-u])")
                .doesNotContain("\u0000");
    }

    @Property
    void summaryJsonReadsBackWhateverTheText(@ForAll("hostile") String text) throws Exception {
        String json = SummaryJson.toJson(run(text));

        RunSummary back = SummaryJson.fromTree(new ObjectMapper().readTree(json));
        assertThat(back.cases().get(0).message()).isEqualTo(text);
    }

    @Provide
    Arbitrary<String> hostile() {
        // control characters, markup, quotes, surrogate halves and ordinary text, mixed
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u001f').withChars("<>&\"'\\x/ ]]").withCharRange('\ud800', '\udfff')
                .withCharRange('w', 'z').withChars('\u007f', '\u0085', '\ufffe', '\uffff')
                .ofMaxLength(40);
    }

    private static RunSummary run(String text) {
        CaseResult c = new CaseResult("s" + text, "x" + text, text, List.of("R-" + text), List.of(text),
                Status.FAILED, text, List.of(new Finding("R-" + text, Severity.FAILED, text)), 1,
                List.of(ReportFixtures.s(0, text), ReportFixtures.note(1, text)));
        return new RunSummary("t" + text, "v" + text, text, ReportFixtures.STARTED, 1, List.of(c));
    }
}
