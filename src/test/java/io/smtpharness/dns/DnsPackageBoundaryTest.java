package io.smtpharness.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package's import rule from package-info.java, checked on the sources. */
class DnsPackageBoundaryTest {

    private static final List<String> FORBIDDEN = List.of("io.smtpharness.suite", "io.smtpharness.rules",
            "io.smtpharness.report", "io.smtpharness.dialogue", "io.smtpharness.client", "io.smtpharness.cli",
            "io.netty");

    @Test
    void dnsSourcesImportNoForbiddenPackage() throws IOException {
        Path sources = Path.of("src/main/java/io/smtpharness/dns");
        assertThat(sources).isDirectory();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> imports = Files.readAllLines(file).stream().filter(l -> l.startsWith("import ")).toList();
                for (String forbidden : FORBIDDEN) {
                    assertThat(imports).as("%s imports", file.getFileName())
                            .noneMatch(l -> l.matches("import (static )?" + forbidden.replace(".", "\\.") + "\\b.*"));
                }
            }
        }
    }
}
