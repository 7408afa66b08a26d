package dev.rolloutlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecorderMemoryTest {
    /** 10^8 requests (2.8 h at 10,000/s) fit a 128 MB heap: the recorder keeps nothing per request. */
    @Test
    void aHundredMillionRequestsFitIn128MegabytesOfHeap() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "bench", "--recorder", "100000000")).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("100,000,000 requests").doesNotContain("OutOfMemoryError");
    }
}
