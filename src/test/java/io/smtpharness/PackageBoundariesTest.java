package io.smtpharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The architecture of DESIGN.md, checked on the sources: what each package must not import (each
 * package-info.java says the same in words). Nothing but the entry point imports {@code cli}.
 */
class PackageBoundariesTest {

    private static final String NETTY = "io.netty";
    private static final String YAML = "org.snakeyaml";
    private static final String JQWIK = "net.jqwik";
    private static final String PICOCLI = "picocli";

    static Stream<Arguments> boundaries() {
        return Stream.of(
                row("protocol", NETTY, YAML, JQWIK, "io.smtpharness.client", "io.smtpharness.rules",
                        "io.smtpharness.report", "io.smtpharness.cli"),
                row("transcript", NETTY, "io.smtpharness.rules", "io.smtpharness.report", "io.smtpharness.cli"),
                row("client", YAML, JQWIK, "io.smtpharness.rules", "io.smtpharness.suite", "io.smtpharness.report",
                        "io.smtpharness.cli"),
                row("rules", NETTY, YAML, "io.smtpharness.report", "io.smtpharness.client", "io.smtpharness.cli"),
                row("dialogue", YAML, JQWIK, "io.smtpharness.report", "io.smtpharness.suite", "io.smtpharness.cli"),
                row("suite", NETTY, JQWIK, "io.smtpharness.report", "io.smtpharness.client", "io.smtpharness.cli"),
                // fuzz sits beside suite, above dialogue: it may use suite (SuiteWriter), never reports or the CLI
                row("fuzz", NETTY, YAML, PICOCLI, "io.smtpharness.report", "io.smtpharness.server", "io.smtpharness.junit",
                        "io.smtpharness.cli"),
                row("result", NETTY, YAML, "io.smtpharness.report", "io.smtpharness.rules", "io.smtpharness.cli"),
                row("report", NETTY, JQWIK, "io.smtpharness.rules", "io.smtpharness.dialogue", "io.smtpharness.client",
                        "io.smtpharness.cli"),
                row("coverage", NETTY, YAML, "io.smtpharness.suite", "io.smtpharness.report", "io.smtpharness.client",
                        "io.smtpharness.server", "io.smtpharness.cli"),
                row("dns", NETTY, "io.smtpharness.suite", "io.smtpharness.rules", "io.smtpharness.report",
                        "io.smtpharness.dialogue", "io.smtpharness.client", "io.smtpharness.cli"),
                row("server", "io.smtpharness.rules", "io.smtpharness.suite", "io.smtpharness.dialogue",
                        "io.smtpharness.report", "io.smtpharness.cli"),
                row("junit", PICOCLI, "io.smtpharness.cli"),
                // service: what every command and the library share; below them, above client and dialogue
                row("service", NETTY, YAML, JQWIK, PICOCLI, "io.smtpharness.suite", "io.smtpharness.fuzz",
                        "io.smtpharness.load", "io.smtpharness.junit", "io.smtpharness.cli"),
                // load sits beside fuzz: sessions through the dialogue runner, no suites, reports or servers
                row("load", NETTY, YAML, JQWIK, PICOCLI, "io.smtpharness.suite", "io.smtpharness.report",
                        "io.smtpharness.server", "io.smtpharness.fuzz", "io.smtpharness.cli"),
                row("process", NETTY, YAML, JQWIK, PICOCLI, "io.smtpharness.rules", "io.smtpharness.dialogue",
                        "io.smtpharness.suite", "io.smtpharness.fuzz", "io.smtpharness.report", "io.smtpharness.cli"));
    }

    private static Arguments row(String pkg, String... forbidden) {
        return Arguments.of(pkg, List.of(forbidden));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaries")
    void packageImportsNothingItMustNotKnow(String pkg, List<String> forbidden) throws IOException {
        Path sources = Path.of("src/main/java/io/smtpharness", pkg);
        assertThat(sources).isDirectory();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> imports = Files.readAllLines(file).stream().filter(l -> l.startsWith("import ")).toList();
                for (String name : forbidden) {
                    assertThat(imports).as("%s/%s imports", pkg, file.getFileName())
                            .noneMatch(l -> l.matches("import (static )?" + name.replace(".", "\\.") + "\\b.*"));
                }
            }
        }
    }
}
