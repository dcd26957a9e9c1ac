package io.smtpharness.cli;

import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.report.ReportException;
import io.smtpharness.suite.SuiteException;
import picocli.CommandLine;

/** The exit codes of the contract, and the one place exceptions become them. */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {

    /** No failed verdict. */
    static final int OK = 0;
    /** At least one failed verdict. */
    static final int FAILED = 1;
    /** Usage or input error: bad option, malformed suite file, unwritable report directory. */
    static final int USAGE = 2;
    /** The target could not be reached or resolved at all. */
    static final int UNREACHABLE = 3;

    @Override
    public int getExitCode(Throwable exception) {
        if (exception instanceof TargetUnreachableException) {
            return UNREACHABLE;
        }
        if (exception instanceof SuiteException || exception instanceof UsageException
                || exception instanceof ReportException || exception instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        return FAILED;
    }

    /** True for the exceptions whose message is the whole story (no stack trace wanted). */
    static boolean isExpected(Throwable exception) {
        return exception instanceof TargetUnreachableException || exception instanceof SuiteException
                || exception instanceof UsageException || exception instanceof ReportException;
    }
}
