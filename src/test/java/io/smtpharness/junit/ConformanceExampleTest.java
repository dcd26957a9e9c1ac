package io.smtpharness.junit;

import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What a user's own build does (README, "In your own JUnit 5 build"), here against the embedded
 * reference server: the RFC 5321 core suite, one dynamic test per case; every case must pass.
 */
class ConformanceExampleTest {

    private static ReferenceServer server;

    @BeforeAll
    static void startServer() {
        server = ReferenceServer.start(ServerConfig.defaults());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> rfc5321Core() {
        return SmtpConformanceTests.target(server.address())
                .withSuites(Path.of("test-suites/rfc5321-core.yaml"))
                .withReportDir(Path.of("target/smtp-conformance/example"))
                .dynamicTests();
    }
}
