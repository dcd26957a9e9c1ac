package io.smtpharness.report;

/**
 * The inline style sheet and script of index.html. Inline on purpose: the page must open from a CI
 * artifact or a mail attachment with no network, and the page's CSP forbids every fetch anyway.
 */
final class HtmlAssets {

    private HtmlAssets() {
    }

    /**
     * Forbids all fetches, keeps the inline style and script. Defence in depth: should escaping
     * ever miss, hostile server text still cannot load or send anything.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

    static final String CSS = """
            :root { --failed: #c62828; --error: #6a1b9a; --warning: #f9a825; --skipped: #757575;
                    --passed: #2e7d32; --line: #ddd; }
            body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; padding: 1em 2em;
                   max-width: 90em; color: #222; }
            h1 { font-size: 1.5em; margin-bottom: .2em; }
            h2 { border-bottom: 2px solid var(--line); padding-bottom: .2em; margin-top: 1.5em; }
            h3 { font-size: 1.05em; margin: 0 0 .3em; }
            code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
            dl.run { display: grid; grid-template-columns: max-content auto; gap: .1em 1em; margin: .5em 0; }
            dl.run dt { font-weight: 600; } dl.run dd { margin: 0; }
            .badge { display: inline-block; padding: .1em .6em; border-radius: 1em; color: #fff;
                     font-weight: 600; font-size: .9em; white-space: nowrap; }
            .badge.failed { background: var(--failed); } .badge.error { background: var(--error); }
            .badge.warning { background: var(--warning); color: #222; }
            .badge.skipped { background: var(--skipped); } .badge.passed { background: var(--passed); }
            .counts .badge { font-size: 1em; margin-right: .4em; }
            .filters { margin: 1em 0; } .filters label { margin-right: 1em; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; vertical-align: top; padding: .25em .5em;
                     border-bottom: 1px solid var(--line); }
            table.matrix td:first-child { white-space: nowrap; }
            table.matrix tr.group th { text-align: left; padding-top: 1em; border-bottom: 2px solid #999; }
            .case { border-left: 6px solid var(--line); padding: .5em 1em; margin: .8em 0;
                    background: #fafafa; }
            .case.failed { border-color: var(--failed); } .case.error { border-color: var(--error); }
            .case.warning { border-color: var(--warning); } .case.skipped { border-color: var(--skipped); }
            .case.passed { border-color: var(--passed); }
            .meta { color: #555; font-size: .9em; margin: .2em 0; }
            .message { margin: .2em 0; }
            ul.findings { margin: .3em 0; padding-left: 1.2em; }
            table.transcript td { font-family: ui-monospace, Menlo, Consolas, monospace;
                                  white-space: pre-wrap; word-break: break-all; }
            table.transcript td.t, table.transcript td.dir { white-space: nowrap; color: #555; }
            table.transcript tr.dir-S td.text { color: #0d47a1; }
            table.transcript tr.dir-note td.text { color: #666; font-style: italic; }
            .esc { background: #ffe0b2; color: #bf360c; border-radius: 2px; padding: 0 1px; }
            .bars { display: grid; grid-template-columns: max-content minmax(10em, 40em) max-content;
                    gap: .3em .8em; align-items: center; }
            .bar { display: flex; height: 1.1em; border-radius: 3px; overflow: hidden; background: var(--line); }
            .bar span.failed { background: var(--failed); } .bar span.error { background: var(--error); }
            .bar span.warning { background: var(--warning); } .bar span.skipped { background: var(--skipped); }
            .bar span.passed { background: var(--passed); }
            ol.deviations li { margin: .35em 0; } ol.deviations strong { font-weight: 600; }
            ol.deviations .evidence { color: #444; }
            .mark { font-size: .75em; font-weight: 600; padding: 0 .4em; border: 1px solid; border-radius: 3px; }
            .mark.new { color: var(--failed); } .mark.accepted { color: var(--skipped); }
            .hide-failed .case.failed, .hide-failed tr.rule.failed,
            .hide-error .case.error, .hide-error tr.rule.error,
            .hide-warning .case.warning, .hide-warning tr.rule.warning,
            .hide-skipped .case.skipped, .hide-skipped tr.rule.skipped,
            .hide-passed .case.passed, .hide-passed tr.rule.passed { display: none; }
            """;

    /** Shows the filter bar (useless without JS, so hidden in the markup) and wires it up. */
    static final String JS = """
            (function () {
              var bar = document.getElementById('filters');
              bar.hidden = false;
              bar.querySelectorAll('input[data-status]').forEach(function (box) {
                box.addEventListener('change', function () {
                  document.body.classList.toggle('hide-' + box.getAttribute('data-status'), !box.checked);
                });
              });
            })();
            """;
}
