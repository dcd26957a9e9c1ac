/**
 * What a run produced: case statuses, findings, the run summary and the listener interface that
 * reporters implement. Knows nothing about how results are rendered or how verdicts were reached.
 */
package io.smtpharness.result;
