package dev.rolloutlab.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names a kubernetes run gives its objects, all derived from the scenario's name and versions. They are defined
 * here, beside the scenario, so that {@code validate} can refuse a scenario whose derived names the API server would
 * reject (a Service name must start with a letter; names and label values are at most 63 characters) with the
 * scenario's file position, instead of the run failing at its first create.
 */
public final class KubernetesNames {
    /** The longest DNS label, and the longest label value. */
    public static final int MAX = 63;

    private KubernetesNames() {
    }

    /**
     * The Deployment of a replica set, also its pods' {@code rollout-lab/workload} label: the first one of the stable
     * version is named after the app, others after the app and their version; a cell's name ends with its number.
     */
    public static String deployment(String app, String version, int cell, boolean first) {
        String base = first ? app : app + "-" + dnsSafe(version);
        return cell == 0 ? base : base + "-cell-" + cell;
    }

    /** Blue-green's Service of the candidate before the switch. */
    public static String previewService(String app) {
        return app + "-preview";
    }

    /** The canary's Service of the stable version, a mesh's or gateway's backend. */
    public static String stableService(String app) {
        return app + "-stable";
    }

    /** The canary's Service of the candidate. */
    public static String canaryService(String app) {
        return app + "-canary";
    }

    /** The Istio VirtualService that routes the canary at the ingress gateway (the mesh's is named after the app). */
    public static String gatewayRoute(String app) {
        return app + "-gateway";
    }

    /** A version as it may appear in a name: lower case, anything else than letters, digits and '-' as '-'. */
    public static String dnsSafe(String value) {
        return value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    /** Every name (or label value) a run of the scenario may create, with what it names. */
    static Map<String, String> derived(Scenario s) {
        String app = s.name();
        Map<String, String> names = new LinkedHashMap<>();
        names.put(app, "the Service and the stable Deployment");
        StrategyType type = s.strategy() == null ? null : s.strategy().type();
        if (type == StrategyType.BLUE_GREEN) {
            names.put(previewService(app), "blue-green's preview Service");
        }
        if (type == StrategyType.CANARY) {
            names.put(stableService(app), "the canary's stable Service");
            names.put(canaryService(app), "the canary's candidate Service");
            names.put(gatewayRoute(app), "the canary's gateway VirtualService");
        }
        int cells = s.strategy() instanceof CellBasedSpec cellBased && cellBased.cells() != null
            ? cellBased.cells() : 0;
        List<VersionSpec> versions = s.service().candidate() == null ? List.of(s.service().stable())
            : List.of(s.service().stable(), s.service().candidate());
        for (VersionSpec v : versions) {
            if (v.version() != null) {
                names.putIfAbsent(deployment(app, v.version(), cells, false),
                    "a Deployment and its pods' workload label");
            }
        }
        return names;
    }
}
