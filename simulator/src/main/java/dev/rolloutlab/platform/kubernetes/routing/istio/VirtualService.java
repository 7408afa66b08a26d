package dev.rolloutlab.platform.kubernetes.routing.istio;

import dev.rolloutlab.platform.kubernetes.objects.TrafficSplit;
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
    /** The gateway name that stands for the sidecars of the mesh itself. */
    public static final String MESH = "mesh";

    /**
     * {@code <app>} sending {@code canaryPercent} of the traffic to the candidate, and every request that asks for
     * the candidate by header to it. With a gateway the routes also apply at that ingress, for any host name
     * ({@code *}), and still inside the mesh.
     */
    public static VirtualService of(TrafficSplit split, int canaryPercent) {
        String host = split.mainService();
        List<String> hosts = new ArrayList<>(List.of(host));
        List<String> gateways = new ArrayList<>();
        if (split.gateway() != null) {
            hosts.add("*");
            gateways.add(split.gatewayNamespace() + "/" + split.gateway());
            gateways.add(MESH);
        }
        int port = TrafficSplit.SERVICE_PORT;
        // Istio wants header names in lower case (Envoy compares them lower-cased); HTTP names are case-insensitive,
        // so a request sending X-Canary still matches.
        HttpRoute pinned = new HttpRoute("canary-pinned",
            Map.of(TrafficSplit.CANARY_HEADER.toLowerCase(Locale.ROOT), TrafficSplit.PIN_CANARY),
            List.of(new Destination(host, IstioRouter.CANARY_SUBSET, port, 100)));
        HttpRoute weighted = new HttpRoute("weighted", Map.of(), List.of(
            new Destination(host, IstioRouter.STABLE_SUBSET, port, 100 - canaryPercent),
            new Destination(host, IstioRouter.CANARY_SUBSET, port, canaryPercent)));
        return new VirtualService(split.mainService(), split.namespace(), split.labels(), List.copyOf(hosts),
            List.copyOf(gateways), List.of(pinned, weighted));
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
