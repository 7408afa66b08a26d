package dev.rolloutlab.platform.kubernetes.objects;

import dev.rolloutlab.scenario.KubernetesNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a canary traffic split routes between: one app's stable and candidate pods, told apart by their
 * {@code version} label, reached through three Services on {@link #SERVICE_PORT}: {@code <app>} (both versions),
 * {@code <app>-stable} and {@code <app>-canary}.
 *
 * @param labels           put on every routing object, so a later cleanup finds them (run id, managed-by)
 * @param gateway          the ingress Gateway's name; {@code null} routes only inside the mesh (Istio) and is
 *                         refused by Gateway API routing, which has no mesh-only mode here
 * @param gatewayNamespace where the Gateway lives; {@code null} means the split's own namespace
 */
public record TrafficSplit(String namespace, String app, String stable, String candidate, Map<String, String> labels,
                           String gateway, String gatewayNamespace) {
    /** The port every one of the app's Services exposes. */
    public static final int SERVICE_PORT = 80;
    /** The label that tells stable pods from candidate pods. */
    public static final String VERSION_LABEL = "version";
    /** A request carrying this header with {@link #PIN_CANARY} always reaches the candidate, whatever the weights. */
    public static final String CANARY_HEADER = "X-Canary";
    public static final String PIN_CANARY = "always";

    public TrafficSplit {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(stable, "stable");
        Objects.requireNonNull(candidate, "candidate");
        // Insertion order kept, so printed manifests list the labels as configured.
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        if (gateway != null && gatewayNamespace == null) {
            gatewayNamespace = namespace;
        }
    }

    /** The Service selecting both versions ({@code app=<app>}); Istio routes to it and splits by subset. */
    public String mainService() {
        return app;
    }

    /** The Service selecting {@code app=<app>, version=<stable>}. */
    public String stableService() {
        return KubernetesNames.stableService(app);
    }

    /** The Service selecting {@code app=<app>, version=<candidate>}. */
    public String canaryService() {
        return KubernetesNames.canaryService(app);
    }

    /**
     * The candidate's share of traffic as the whole percent both Istio and Gateway API weights take. Rounds to the
     * nearest percent, except that a share above 0 never becomes 0 and a share below 1 never becomes 100: a rollout
     * step of 0.4 % is still meant to send the candidate some requests (a step that sends none would pass its
     * analysis with no evidence), and a step just short of 100 % still keeps the stable version serving.
     *
     * @throws IllegalArgumentException for a share outside 0..1
     */
    public static int canaryPercent(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("candidate share " + share + " is not between 0 and 1");
        }
        int percent = (int) Math.round(share * 100);
        if (share > 0 && percent == 0) {
            return 1;
        }
        return share < 1 && percent == 100 ? 99 : percent;
    }
}
