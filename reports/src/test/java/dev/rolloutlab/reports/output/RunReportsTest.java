package dev.rolloutlab.reports.output;

import dev.rolloutlab.result.OutputFile;
import dev.rolloutlab.result.TestRuns;
import dev.rolloutlab.reports.CompareTable;
import dev.rolloutlab.reports.JUnitXml;
import dev.rolloutlab.reports.SummaryMarkdown;
import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.RunResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportsTest {
    @TempDir
    Path dir;

    @Test
    void writeAllWritesTheFourFilesAndNoTemporaryOnes() throws Exception {
        RunResult result = new TestRuns().build();

        List<Path> written = RunReports.writeAll(result, dir.resolve("out"));

        assertThat(written).extracting(p -> p.getFileName().toString())
            .containsExactly("result.json", "summary.md", "report.html", "junit.xml");
        assertThat(ResultJson.read(dir.resolve("out/result.json"))).isEqualTo(result);
        assertThat(Files.readString(dir.resolve("out/summary.md"))).isEqualTo(SummaryMarkdown.render(result));
        assertThat(Files.readString(dir.resolve("out/junit.xml"))).isEqualTo(JUnitXml.render(result));
        assertThat(Files.readString(dir.resolve("out/report.html"))).startsWith("<!DOCTYPE html>");
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertThat(files).hasSize(4);
        }
    }

    @Test
    void writeCompareWritesMarkdownHtmlAndOneJUnitFileForEveryRun() throws Exception {
        List<RunResult> runs = List.of(new TestRuns().build(), TestRuns.loadOnly().build());

        assertThat(RunReports.writeCompare(runs, dir)).containsExactly(dir.resolve("compare.md"),
            dir.resolve("compare.html"), dir.resolve("junit.xml"));
        assertThat(Files.readString(dir.resolve("junit.xml"))).isEqualTo(JUnitXml.render(runs))
            .contains("<testsuite name=\"canary-bad-release\"", "<testsuite name=\"baseline\"");
        assertThat(Files.readString(dir.resolve("compare.md"))).isEqualTo(new CompareTable(runs).markdown());
        assertThat(Files.readString(dir.resolve("compare.html"))).startsWith("<!DOCTYPE html>");
    }

    @Test
    void writeAtomicallyReplacesAnExistingFileWithAnOrdinaryOne() throws Exception {
        Path file = Files.writeString(dir.resolve("summary.md"), "old and longer");
        Path ordinary = Files.writeString(dir.resolve("ordinary"), "");

        OutputFile.writeAtomically(file, "new");

        assertThat(file).hasContent("new");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(ordinary));
        Files.delete(ordinary);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
