package dev.rolloutlab.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code cleanup --local}: a killed run whose watchdogs were killed too leaves recorded process groups; those started
 * for a tool process that is gone are ended, a group whose processes were not started for it is left alone.
 */
class ProcessRecordTest {
    @Test
    void theGroupsOfAToolThatIsGoneAreEndedAndOthersLeftAlone() throws Exception {
        long deadTool = deadPid();
        Process orphan = group(deadTool);
        Process stranger = group(deadTool + 1_000_000); // same record, but not started for that tool
        Path record = ProcessRecord.folder().resolve(deadTool + ".groups");
        Files.createDirectories(ProcessRecord.folder());
        Files.write(record, List.of(Long.toString(orphan.pid()), Long.toString(stranger.pid())));
        try {
            ProcessRecord.Cleaned cleaned = ProcessRecord.cleanUp();

            assertThat(cleaned.groups()).containsExactly(orphan.pid());
            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(stranger.isAlive()).isTrue();
            assertThat(record).doesNotExist();
        } finally {
            orphan.destroyForcibly();
            stranger.descendants().forEach(ProcessHandle::destroyForcibly);
            stranger.destroyForcibly();
        }
    }

    @Test
    void aRunningToolsRecordIsLeftAlone() throws Exception {
        long self = ProcessHandle.current().pid();
        Process mine = group(self);
        ProcessRecord.started(mine.pid());
        try {
            assertThat(ProcessRecord.cleanUp().groups()).doesNotContain(mine.pid());
            assertThat(mine.isAlive()).isTrue();
        } finally {
            mine.destroyForcibly();
            ProcessRecord.ended(mine.pid());
        }
    }

    /** A process group of its own, as a replica's, whose process says which tool started it. */
    private static Process group(long tool) throws Exception {
        ProcessBuilder b = new ProcessBuilder("setsid", "sleep", "60");
        b.environment().put(ProcessRecord.TOOL_PID, Long.toString(tool));
        Process p = b.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessRecord.processGroup(p.pid()).orElse(-1L) != p.pid() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10); // setsid has not made it a group leader yet
        }
        return p;
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
