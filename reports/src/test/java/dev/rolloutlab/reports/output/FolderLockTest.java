package dev.rolloutlab.reports.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunIntoTheFolderIsRefusedNamingTheFirstUntilItIsDone() throws Exception {
        Path out = dir.resolve("a/b");
        try (FolderLock first = FolderLock.acquire(out)) {
            assertThat(Files.readString(out.resolve(FolderLock.FILE)))
                .startsWith("pid " + ProcessHandle.current().pid() + ", started ");
            assertThatThrownBy(() -> FolderLock.acquire(out)).isInstanceOf(FolderLock.Busy.class)
                .hasMessageStartingWith(out + " is being written by another rollout-lab run (pid "
                    + ProcessHandle.current().pid() + ", started ");
        }
        FolderLock.acquire(out).close();
    }

    @Test
    void aFolderThatCannotBeMadeIsSaidSo() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> FolderLock.acquire(file.resolve("run")))
            .hasMessageStartingWith("cannot lock " + file.resolve("run") + " for this run: ");
    }
}
