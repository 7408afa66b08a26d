package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.platform.kubernetes.routing.TrafficRouter;
import dev.rolloutlab.platform.kubernetes.routing.gatewayapi.GatewayApiRouter;
import dev.rolloutlab.platform.kubernetes.routing.istio.IstioRouter;
import dev.rolloutlab.platform.kubernetes.routing.selector.SelectorRouter;
import dev.rolloutlab.scenario.Scenario;
import java.util.List;

/** The traffic routers of the Kubernetes platform: the one a scenario routes through, and all of them for cleanup. */
final class TrafficRouters {
    private static final TrafficRouter SELECTOR = new SelectorRouter();
    private static final TrafficRouter ISTIO = new IstioRouter();
    private static final TrafficRouter GATEWAY_API = new GatewayApiRouter();

    /** Every router, in the order cleanup asks them for their leftovers. */
    static final List<TrafficRouter> ALL = List.of(SELECTOR, ISTIO, GATEWAY_API);

    private TrafficRouters() {
    }

    /**
     * The router {@code strategy.trafficRouting} names ({@code istio}, {@code gatewayApi}); the Service selector for
     * {@code replicas} and for a run without a strategy.
     */
    static TrafficRouter of(Scenario scenario) {
        String trafficRouting = scenario.strategy() == null ? null : scenario.strategy().trafficRouting();
        if ("istio".equals(trafficRouting)) {
            return ISTIO;
        }
        return "gatewayApi".equals(trafficRouting) ? GATEWAY_API : SELECTOR;
    }
}
