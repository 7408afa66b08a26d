package dev.rolloutlab.repeat;

import dev.rolloutlab.result.OutputFile;
import java.nio.file.Path;
import java.util.List;

/** The files a repeat leaves beside its run folders: repeat.json, summary.md and junit.xml. */
public final class RepeatReports {
    public static final String REPEAT_JSON = "repeat.json";
    public static final String SUMMARY_MD = "summary.md";
    public static final String JUNIT_XML = "junit.xml";

    private RepeatReports() {
    }

    /** @return the files written, repeat.json first */
    public static List<Path> writeAll(RepeatSummary summary, Path dir) {
        RepeatJson.write(summary, dir.resolve(REPEAT_JSON));
        return List.of(dir.resolve(REPEAT_JSON),
            OutputFile.writeAtomically(dir.resolve(SUMMARY_MD), RepeatMarkdown.render(summary)),
            OutputFile.writeAtomically(dir.resolve(JUNIT_XML), RepeatJUnit.render(summary)));
    }
}
