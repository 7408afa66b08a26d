package dev.rolloutlab.platform.kubernetes.routing.istio;

import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
import dev.rolloutlab.scenario.KubernetesNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An Istio {@code VirtualService}, typed with only the fields rollout-lab sets: HTTP routes tried in order, each
 * sending what it matches to weighted subsets of a host.
 *
 * @param gateways empty routes inside the mesh only (Istio's default)
 */
public record VirtualService(String name, String namespace, Map<String, String> labels, List<String> hosts,
                             List<String> gateways, List<HttpRoute> http) {
    /**
     * @param exactHeaders lower-case header name to the exact value it must have; empty matches every request
     */
    public record HttpRoute(String name, Map<String, String> exactHeaders, List<Destination> route) {
    }

    /** {@code weight} percent of a route's traffic to one subset of a host. */
    public record Destination(String host, String subset, int port, int weight) {
    }

    public static final String KIND = "VirtualService";
    /**
     * {@code <app>} sending {@code canaryPercent} of the traffic to the candidate, and every request that asks for
     * the candidate by header to it, inside the mesh. With a gateway, a second VirtualService applies the same routes
     * at that ingress for any host name ({@code *}): Istio refuses a wildcard host on a mesh-bound VirtualService
     * and takes {@code *} beside {@code <app>} in one object for a duplicate.
     */
    public static List<VirtualService> of(TrafficSplit split, int canaryPercent) {
        String host = split.mainService();
        int port = TrafficSplit.SERVICE_PORT;
        // Istio wants header names in lower case (Envoy compares them lower-cased); HTTP names are case-insensitive,
        // so a request sending X-Canary still matches.
        HttpRoute pinned = new HttpRoute("canary-pinned",
            Map.of(TrafficSplit.CANARY_HEADER.toLowerCase(Locale.ROOT), TrafficSplit.PIN_CANARY),
            List.of(new Destination(host, IstioRouter.CANARY_SUBSET, port, 100)));
        HttpRoute weighted = new HttpRoute("weighted", Map.of(), List.of(
            new Destination(host, IstioRouter.STABLE_SUBSET, port, 100 - canaryPercent),
            new Destination(host, IstioRouter.CANARY_SUBSET, port, canaryPercent)));
        List<VirtualService> services = new ArrayList<>(List.of(new VirtualService(host, split.namespace(),
            split.labels(), List.of(host), List.of(), List.of(pinned, weighted))));
        if (split.gateway() != null) {
            services.add(new VirtualService(KubernetesNames.gatewayRoute(split.mainService()), split.namespace(),
                split.labels(), List.of("*"), List.of(split.gatewayNamespace() + "/" + split.gateway()),
                List.of(pinned, weighted)));
        }
        return List.copyOf(services);
    }

    /** The {@code spec}, in the field order of the Istio reference. */
    public Map<String, Object> spec() {
        Map<String, Object> spec = IstioRouter.map("hosts", hosts);
        if (!gateways.isEmpty()) {
            spec.put("gateways", gateways);
        }
        spec.put("http", http.stream().map(VirtualService::render).toList());
        return spec;
    }

    private static Map<String, Object> render(HttpRoute route) {
        Map<String, Object> rendered = IstioRouter.map("name", route.name());
        if (!route.exactHeaders().isEmpty()) {
            Map<String, Object> headers = IstioRouter.map();
            route.exactHeaders().forEach((header, value) -> headers.put(header, IstioRouter.map("exact", value)));
            rendered.put("match", List.of(IstioRouter.map("headers", headers)));
        }
        rendered.put("route", route.route().stream().map(d -> IstioRouter.map(
            "destination", IstioRouter.map("host", d.host(), "subset", d.subset(),
                "port", IstioRouter.map("number", d.port())),
            "weight", d.weight())).toList());
        return rendered;
    }

    public GenericKubernetesResource toResource() {
        return IstioRouter.resource(KIND, name, namespace, labels, spec());
    }
}
