package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how a {@code platform: kubernetes} run deploys (YAML section {@code kubernetes:}); every key has a
 * default that fits the cluster {@code kind-config/up.sh} creates.
 *
 * @param context          kubeconfig context; {@code null} for the current one
 * @param namespace        an existing namespace to work in; {@code null} for a fresh {@code rl-<run id>} that the run
 *                         creates and deletes
 * @param image            the demo service image, run with each version's behaviour as arguments (a version with its
 *                         own {@code image} runs that instead)
 * @param nodePort         the NodePort of the run's Service (kind maps it to the same port on 127.0.0.1)
 * @param serviceUrl       where the generator reaches the service from outside the cluster; {@code null} for
 *                         {@code http://127.0.0.1:<port>/}, the port being {@code nodePort}, or the mesh or gateway's
 *                         port for canary traffic routing through istio or gatewayApi
 * @param gateway          the Istio Gateway or Gateway API Gateway that routes external traffic, as
 *                         {@code namespace/name}
 * @param readyTimeout     how long the stable version may take to turn ready (image pulls included)
 * @param entryPointTimeout how long the service's URL may take to answer HTTP once the stable version is ready
 */
public record Kubernetes(String context, String namespace, String image, int nodePort, URI serviceUrl,
                         String gateway, Duration readyTimeout, Duration entryPointTimeout) {
    public static final String DEMO_IMAGE = "rollout-lab/demo:0.1.0";
    public static final int NODE_PORT = 30080;
    public static final int ISTIO_PORT = 30081;
    public static final int GATEWAY_API_PORT = 30082;
    static final Kubernetes DEFAULT = fromYaml(null, null, null, null, null, null, null, null);

    @JsonCreator
    static Kubernetes fromYaml(@JsonProperty("context") String context, @JsonProperty("namespace") String namespace,
                               @JsonProperty("image") String image, @JsonProperty("nodePort") Integer nodePort,
                               @JsonProperty("serviceUrl") URI serviceUrl, @JsonProperty("gateway") String gateway,
                               @JsonProperty("readyTimeout") Duration readyTimeout,
                               @JsonProperty("entryPointTimeout") Duration entryPointTimeout) {
        return new Kubernetes(context, namespace, image != null ? image : DEMO_IMAGE,
            nodePort != null ? nodePort : NODE_PORT, serviceUrl, gateway != null ? gateway : "rollout-lab/rollout-lab",
            readyTimeout != null ? readyTimeout : Duration.ofMinutes(3),
            entryPointTimeout != null ? entryPointTimeout : Duration.ofSeconds(30));
    }

    public String gatewayNamespace() {
        return gateway.substring(0, gateway.indexOf('/'));
    }

    public String gatewayName() {
        return gateway.substring(gateway.indexOf('/') + 1);
    }
}
