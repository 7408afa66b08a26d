package dev.rolloutlab.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerEnvTest {
    @Test
    void argsExpandValuesAndDownwardApiFieldsAsTheKubeletDoes() {
        Pod pod = new PodBuilder().withNewMetadata().withName("web-1").withNamespace("ns").endMetadata()
            .withNewSpec().withNodeName("rollout-lab-node-1").endSpec().build();
        Container c = new ContainerBuilder().withName("app")
            .addNewEnv().withName("VERSION").withValue("v2").endEnv()
            .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
            .endFieldRef().endValueFrom().endEnv()
            .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
            .endFieldRef().endValueFrom().endEnv()
            .build();

        ContainerEnv env = ContainerEnv.of(pod, c, "10.244.1.1", "127.0.0.1");

        assertThat(env.expand(List.of("--pod", "$(POD)", "$(VERSION)@$(IP)", "$$(POD)", "$(UNSET)")))
            .containsExactly("--pod", "web-1", "v2@10.244.1.1", "$(POD)", "$(UNSET)");
    }
}
