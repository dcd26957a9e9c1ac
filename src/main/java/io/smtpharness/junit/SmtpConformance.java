package io.smtpharness.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures {@link SmtpConformanceTests#from(Class)} on a test class:
 *
 * <pre>{@code
 * @SmtpConformance(target = "127.0.0.1:2525", suites = "test-suites", tags = "core")
 * class MyServerConformanceTest {
 *     @TestFactory
 *     Stream<DynamicTest> rfc5321() {
 *         return SmtpConformanceTests.from(getClass()).dynamicTests();
 *     }
 * }
 * }</pre>
 *
 * Every attribute may name a system property instead of a value as {@code ${property}} or
 * {@code ${property:default}}, e.g. {@code target = "${smtp.target:127.0.0.1:2525}"}, so a CI job can
 * point the same test at another server with {@code -Dsmtp.target=...}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SmtpConformance {

    /** The server: {@code HOST:PORT}, {@code [IPv6]:PORT}, or a host alone (port 25). */
    String target();

    /** Suite files or directories; empty: {@code ./test-suites/}, else the suites packed in the harness jar. */
    String[] suites() default {};

    /** Only cases with one of these tags; empty: all cases (slow ones only when {@code slow} is named). */
    String[] tags() default {};

    /** A mailbox the server accepts. */
    String recipient() default "postmaster@test.example";

    /** The reverse path for MAIL. */
    String sender() default "harness@client.test";

    /** The EHLO/HELO name. */
    String helo() default "client.test";

    /** Where the report files go (summary.json, junit.xml, index.html, allure-results/); empty: none. */
    String reportDir() default "";

    /** Cases run at once. */
    int maxConnections() default 4;

    /** Deadline for each whole reply, in seconds. */
    int replyTimeoutSeconds() default 30;

    /** Let cases complete messages against a non-loopback target. */
    boolean allowDelivery() default false;
}
