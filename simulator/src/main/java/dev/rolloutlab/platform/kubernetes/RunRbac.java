package dev.rolloutlab.platform.kubernetes;

import dev.rolloutlab.chaos.mesh.ChaosKind;
import dev.rolloutlab.platform.kubernetes.routing.istio.IstioRouter;
import dev.rolloutlab.scenario.Scenario;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rights a run of a scenario needs, as the Role (in a namespace the scenario gives) or ClusterRole (a run that
 * makes its own namespace) to bind to the identity rollout-lab runs as: what it creates, watches and deletes, the
 * routing kinds only when the scenario routes through them, Chaos Mesh kinds only when it injects faults.
 */
public final class RunRbac {
    private static final String[] MANAGE = {"get", "list", "watch", "create", "update", "patch", "delete"};
    private static final String[] READ = {"get", "list", "watch"};

    private RunRbac() {
    }

    /**
     * @param namespace the namespace the scenario gives, or {@code null} when each run makes its own
     * @param name      the Role's or ClusterRole's name
     */
    public static HasMetadata role(Scenario scenario, String namespace, String name) {
        List<PolicyRule> rules = new ArrayList<>();
        rules.add(rule("", MANAGE, "services"));
        rules.add(rule("", READ, "pods"));
        rules.add(rule("apps", MANAGE, "deployments"));
        String routing = scenario.strategy() == null ? null : scenario.strategy().trafficRouting();
        if ("istio".equals(routing)) {
            rules.add(rule(IstioRouter.VIRTUAL_SERVICES.getGroup(), MANAGE, IstioRouter.VIRTUAL_SERVICES.getPlural(),
                IstioRouter.DESTINATION_RULES.getPlural()));
        } else if ("gatewayApi".equals(routing)) {
            rules.add(rule(HasMetadata.getGroup(HTTPRoute.class), MANAGE, HasMetadata.getPlural(HTTPRoute.class)));
        }
        if (!scenario.faults().isEmpty()) {
            rules.add(rule(ChaosKind.values()[0].context().getGroup(), MANAGE,
                Arrays.stream(ChaosKind.values()).map(k -> k.context().getPlural()).toArray(String[]::new)));
        }
        if (namespace != null) {
            return new RoleBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withRules(rules).build();
        }
        // Each run's namespace is new, so the rights cannot be bound inside it beforehand: cluster-wide.
        rules.add(0, rule("", new String[] {"get", "list", "create", "delete"}, "namespaces"));
        return new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata().withRules(rules).build();
    }

    private static PolicyRule rule(String group, String[] verbs, String... resources) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
    }
}
