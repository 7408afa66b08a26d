package dev.rolloutlab.reports.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.result.ResultJson;
import dev.rolloutlab.result.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    private static final Instant NOW = Instant.parse("2026-11-29T05:15:00.400Z");

    @TempDir
    Path dir;

    @Test
    void eachRunGetsAFolderOfItsOwnAndLatestPointsAtTheNewest() throws Exception {
        Path parent = dir.resolve("reports/out/canary");
        Path first = RunFolder.timestamped(parent, NOW);
        Path second = RunFolder.timestamped(parent, NOW);
        Path third = RunFolder.timestamped(parent, NOW.plusSeconds(61));

        assertThat(first.getFileName()).hasToString("20261129T051500Z");
        assertThat(second.getFileName()).hasToString("20261129T051500Z-2");
        assertThat(third.getFileName()).hasToString("20261129T051601Z");

        assertThat(RunFolder.linkLatest(first)).isEmpty();
        assertThat(RunFolder.linkLatest(third)).isEmpty();
        Path latest = parent.resolve(RunFolder.LATEST);
        assertThat(Files.isSymbolicLink(latest)).isTrue();
        assertThat(Files.readSymbolicLink(latest)).hasToString("20261129T051601Z");
        assertThat(latest.toRealPath()).isEqualTo(third.toRealPath());
        assertThat(RunFolder.newestIn(parent)).isEqualTo(latest);
        assertThat(RunFolder.newestIn(third)).isEqualTo(third);
    }

    @Test
    void aLatestThatIsNotALinkIsLeftAloneAndSaid() throws Exception {
        Path parent = dir.resolve("out");
        Files.createDirectories(parent.resolve(RunFolder.LATEST));
        Path run = RunFolder.timestamped(parent, NOW);

        assertThat(RunFolder.linkLatest(run)).hasValueSatisfying(m -> assertThat(m)
            .contains("is not a link rollout-lab made").contains("this run is in " + run));
        assertThat(Files.isDirectory(parent.resolve(RunFolder.LATEST))).isTrue();
    }

    @Test
    void aGivenFolderHoldingARunIsNamedBeforeItIsReplaced() throws Exception {
        assertThat(RunFolder.replacing(dir)).isEmpty();
        ResultJson.write(new TestRuns().build(), dir.resolve(RunReports.RESULT_JSON));

        assertThat(RunFolder.replacing(dir)).hasValue(dir + " holds a run of canary-bad-release started "
            + "2026-11-22T10:00:00.250Z; its files are replaced (leave out --out for a folder of its own per run, "
            + "with latest pointing at the newest)");
    }
}
