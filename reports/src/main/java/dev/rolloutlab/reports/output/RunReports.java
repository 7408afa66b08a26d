package dev.rolloutlab.reports.output;

import dev.rolloutlab.reports.CompareTable;
import dev.rolloutlab.reports.JUnitXml;
import dev.rolloutlab.reports.SummaryMarkdown;
import dev.rolloutlab.result.OutputFile;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.reports.html.HtmlReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a run or a comparison leaves in its output folder (the CLI contract). Each file is written atomically,
 * so a CI step, a browser or a tail that reads while a run ends never sees half a file.
 */
public final class RunReports {
    public static final String RESULT_JSON = "result.json";
    public static final String SUMMARY_MD = "summary.md";
    public static final String REPORT_HTML = "report.html";
    public static final String JUNIT_XML = "junit.xml";
    public static final String COMPARE_MD = "compare.md";
    public static final String COMPARE_HTML = "compare.html";

    private RunReports() {
    }

    /** @return the files written, result.json first */
    public static List<Path> writeAll(RunResult result, Path dir) {
        ResultJson.write(result, dir.resolve(RESULT_JSON));
        List<Path> written = new ArrayList<>(List.of(dir.resolve(RESULT_JSON)));
        written.addAll(writeRenderings(result, dir));
        return written;
    }

    /**
     * Renders summary.md, report.html and junit.xml, leaving result.json alone: re-rendering must not rewrite the
     * record it reads (a newer minor version's added fields would be lost).
     *
     * @return the files written
     */
    public static List<Path> writeRenderings(RunResult result, Path dir) {
        return List.of(
            OutputFile.writeAtomically(dir.resolve(SUMMARY_MD), SummaryMarkdown.render(result)),
            OutputFile.writeAtomically(dir.resolve(REPORT_HTML), HtmlReport.run(result)),
            OutputFile.writeAtomically(dir.resolve(JUNIT_XML), JUnitXml.render(result)));
    }

    /**
     * compare.md, compare.html and one junit.xml for every run of the comparison (a test suite per run), so a CI
     * step reports the comparison's gates from one file.
     *
     * @return the files written
     */
    public static List<Path> writeCompare(List<RunResult> results, Path dir) {
        return List.of(
            OutputFile.writeAtomically(dir.resolve(COMPARE_MD), new CompareTable(results).markdown()),
            OutputFile.writeAtomically(dir.resolve(COMPARE_HTML), HtmlReport.compare(results)),
            OutputFile.writeAtomically(dir.resolve(JUNIT_XML), JUnitXml.render(results)));
    }
}
