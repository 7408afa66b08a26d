package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolloutlab.reports.output.FolderLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs given one output folder: the second is refused before it starts; a killed holder blocks nobody. */
class ConcurrentRunsTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunIntoABusyFolderIsRefusedAndAKilledRunReleasesIt() throws Exception {
        Path scenario = Files.writeString(dir.resolve("slow.yaml"), """
            name: slow-start
            service: { replicas: 1, stable: { version: v1, behavior: { startupDelay: 60s } } }
            load: { rate: 100/s, duration: 10s, warmup: 0s }
            """);
        Path out = dir.resolve("out");
        Path lock = out.resolve(FolderLock.FILE);
        Process first = ToolProcess.start(dir.resolve("first.log"), null, "run", scenario.toString(), "--out",
            out.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(lock) || !Files.readString(lock).startsWith("pid ")) {
                assertThat(System.nanoTime()).as("the first run locked its folder").isLessThan(deadline);
                assertThat(first.isAlive()).as(() -> ToolProcess.read(dir.resolve("first.log"))).isTrue();
                TimeUnit.MILLISECONDS.sleep(50);
            }

            Cli second = Cli.run("run", scenario.toString(), "--out", out.toString());

            assertThat(second.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(second.err()).isEqualTo("rollout-lab: --out " + out + " is being written by another "
                + "rollout-lab run (pid " + first.pid() + ", started " + Files.readString(lock).strip()
                .substring(("pid " + first.pid() + ", started ").length()) + "); wait for it to finish or give this "
                + "run another --out" + System.lineSeparator());
            assertThat(second.out()).isEmpty();

            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            FolderLock.acquire(out).close();
        } finally {
            first.destroyForcibly();
        }
    }
}
