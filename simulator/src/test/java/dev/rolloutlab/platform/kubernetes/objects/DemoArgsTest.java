package dev.rolloutlab.platform.kubernetes.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutlab.demo.Behavior;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoArgsTest {
    @Test
    void whatTheManifestsWriteReadsBackAsTheSameBehaviour() {
        Behavior b = new Behavior(0.25, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(30));

        DemoArgs.Options read = DemoArgs.parse(DemoArgs.of("v2", b).stream()
            .map(a -> a.equals("$(POD)") ? "web-1" : a).toList());

        assertThat(read.behavior()).isEqualTo(b);
        assertThat(read.version).isEqualTo("v2");
        assertThat(read.pod).isEqualTo("web-1");
        assertThat(read.port).as("from the image's entrypoint").isEqualTo(8080);
    }

    @Test
    void anArgTheDemoDoesNotTakeIsRefusedWithItsName() {
        assertThatThrownBy(() -> DemoArgs.parse(List.of("--colour", "red")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--colour");
    }
}
