package dev.rolloutlab.platform.kubernetes.objects;

import dev.rolloutlab.chaos.mesh.ChaosMeta;
import dev.rolloutlab.chaos.mesh.RunPods;
import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.platform.DeploymentUpdate;
import dev.rolloutlab.platform.ReplicaSet;
import dev.rolloutlab.scenario.Durations;
import dev.rolloutlab.scenario.Kubernetes;
import dev.rolloutlab.scenario.KubernetesNames;
import dev.rolloutlab.scenario.Scenario;
import dev.rolloutlab.scenario.Service;
import dev.rolloutlab.scenario.VersionSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Kubernetes objects of one run from the scenario: the namespace, one Deployment per replica set, the
 * Service the generator reaches through a NodePort, and the Services of one version (blue-green's preview, a
 * gateway's backends). Every object carries the run's labels, so that {@code RunObjectCleanup} finds it by them alone;
 * every pod the {@code app}, {@code version} and (cell-based) {@code cell} labels that Chaos Mesh selectors and
 * Service selectors use. {@code RunObjectManifests} lists what it builds in the order a run applies it.
 */
public final class RunObjectBuilder {
    public static final String APP_LABEL = "app";
    public static final String VERSION_LABEL = "version";
    public static final String CELL_LABEL = "cell";
    /** Selects the pods of one Deployment only, so Deployments of one app never share pods. */
    public static final String WORKLOAD_LABEL = "rollout-lab/workload";
    /** The demo service's needs at a few thousand requests a second per pod (its JVM takes a quarter of the limit). */
    static final String CPU_REQUEST = "100m";
    static final String MEMORY_REQUEST = "128Mi";
    static final String MEMORY_LIMIT = "512Mi";
    public static final String ZONE_KEY = "topology.kubernetes.io/zone";
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    public static final int CONTAINER_PORT = 8080;
    public static final int SERVICE_PORT = 80;

    private final Scenario scenario;
    private final String namespace;
    private final String runId;

    public RunObjectBuilder(Scenario scenario, String namespace, String runId) {
        this.scenario = scenario;
        this.namespace = namespace;
        this.runId = ChaosMeta.requireRunId(runId);
    }

    /** The namespace a run creates for itself when the scenario names none. */
    public static String runNamespace(String runId) {
        return "rl-" + runId;
    }

    public String namespace() {
        return namespace;
    }

    public String runId() {
        return runId;
    }

    public String app() {
        return scenario.name();
    }

    public String stableVersion() {
        return scenario.service().stable().version();
    }

    /** {@code null} in a load-only run. */
    public String candidateVersion() {
        return scenario.service().candidate() == null ? null : scenario.service().candidate().version();
    }

    /** Labels of every object the run creates: cleanup finds them by these. */
    public Map<String, String> runLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ChaosMeta.MANAGED_BY_LABEL, ChaosMeta.MANAGED_BY);
        labels.put(ChaosMeta.RUN_ID_LABEL, runId);
        return labels;
    }

    /** @param routerLabels what the run's traffic router needs on the namespace besides the run's labels */
    public Namespace namespaceObject(Map<String, String> routerLabels) {
        Map<String, String> labels = runLabels();
        labels.putAll(routerLabels);
        return new NamespaceBuilder().withNewMetadata().withName(namespace).withLabels(labels).endMetadata().build();
    }

    /**
     * The Deployment that holds a replica set: the first one of the stable version is named after the app (and its
     * cell); others after the app and their version, so a blue-green or canary pair reads plainly in kubectl.
     */
    public String deploymentName(ReplicaSet set, boolean first) {
        return KubernetesNames.deployment(app(), set.version(), set.cell(), first);
    }

    public Deployment deployment(String name, ReplicaSet set, int replicas) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(APP_LABEL, app());
        selector.put(WORKLOAD_LABEL, name);
        return new DeploymentBuilder()
            .withMetadata(meta(name))
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector().withMatchLabels(selector).endSelector()
            .withStrategy(new DeploymentStrategyBuilder().withType("RollingUpdate").build())
            .withProgressDeadlineSeconds(seconds(scenario.strategy() == null ? Duration.ofMinutes(10)
                : scenario.strategy().progressDeadline()))
            .withTemplate(podTemplate(name, set))
            .endSpec()
            .build();
    }

    /** The pod template of a version in a Deployment; changing it is what makes the controller roll pods. */
    public PodTemplateSpec podTemplate(String deployment, ReplicaSet set) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(APP_LABEL, app());
        labels.put(VERSION_LABEL, set.version());
        if (set.cell() > 0) {
            labels.put(CELL_LABEL, Integer.toString(set.cell()));
        }
        labels.put(WORKLOAD_LABEL, deployment);
        labels.putAll(runLabels());
        Service service = scenario.service();
        Duration preStop = service.termination().preStop();
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
            // Kubernetes counts preStop inside the grace period; the scenario counts the grace period after it.
            .withTerminationGracePeriodSeconds((long) seconds(preStop.plus(service.termination().gracePeriod())))
            // What the "restricted" Pod Security level asks, so a namespace enforcing it admits the pods.
            .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault")
            .endSeccompProfile().endSecurityContext()
            .withContainers(container(set.version()))
            .endSpec();
        if (set.cell() > 0) {
            // Cells spread over zones, and a cell's pods prefer each other's zone, so a zone failure stays in its cells.
            template.editSpec()
                .addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey(ZONE_KEY)
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().addToMatchLabels(APP_LABEL, app()).endLabelSelector()
                .endTopologySpreadConstraint()
                .withNewAffinity().withNewPodAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100).withNewPodAffinityTerm().withTopologyKey(ZONE_KEY)
                .withNewLabelSelector().addToMatchLabels(APP_LABEL, app())
                .addToMatchLabels(CELL_LABEL, Integer.toString(set.cell())).endLabelSelector()
                .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution().endPodAffinity()
                .endAffinity()
                .endSpec();
        }
        return template.build();
    }

    private Container container(String version) {
        VersionSpec spec = versionSpec(version);
        Kubernetes k = scenario.kubernetes();
        Service service = scenario.service();
        ContainerBuilder c = new ContainerBuilder()
            .withName("app")
            .withImage(spec.image() != null ? spec.image() : k.image())
            .withImagePullPolicy("IfNotPresent")
            .addNewEnv().withName("VERSION").withValue(version).endEnv()
            .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
            .endFieldRef().endValueFrom().endEnv()
            .addNewEnv().withName("PORT").withValue(Integer.toString(CONTAINER_PORT)).endEnv()
            .addNewPort().withName("http").withContainerPort(CONTAINER_PORT).endPort()
            .withNewReadinessProbe()
            .withNewHttpGet().withPath(service.readiness().path()).withPort(new IntOrString(CONTAINER_PORT)).endHttpGet()
            .withPeriodSeconds(seconds(service.readiness().period()))
            .withTimeoutSeconds(seconds(service.readiness().timeout()))
            .withFailureThreshold(service.readiness().failureThreshold())
            .endReadinessProbe()
            .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL")
            .endCapabilities().endSecurityContext()
            // Requests, so a namespace with a ResourceQuota admits the pods and the scheduler places them honestly.
            .withNewResources().addToRequests("cpu", new Quantity(CPU_REQUEST)).addToRequests("memory",
                new Quantity(MEMORY_REQUEST)).addToLimits("memory", new Quantity(MEMORY_LIMIT)).endResources();
        if (spec.image() == null) {
            c.withArgs(DemoArgs.of(version, spec.behavior()));
        }
        Duration preStop = service.termination().preStop();
        if (!preStop.isZero()) {
            c.withNewLifecycle().withNewPreStop().withNewSleep().withSeconds((long) seconds(preStop)).endSleep()
                .endPreStop().endLifecycle();
        }
        return c.build();
    }

    /** The Deployment's strategy for an update its controller carries out. */
    public static DeploymentStrategy strategy(DeploymentUpdate how) {
        if (how.type() == DeploymentUpdate.Type.RECREATE) {
            return new DeploymentStrategyBuilder().withType("Recreate").build();
        }
        return new DeploymentStrategyBuilder().withType("RollingUpdate").withNewRollingUpdate()
            .withMaxSurge(intOrPercent(how.maxSurge().toString()))
            .withMaxUnavailable(intOrPercent(how.maxUnavailable().toString()))
            .endRollingUpdate().build();
    }

    /** A restart stamp as {@code kubectl rollout restart} writes it. */
    public static String restartedAt(Instant now) {
        return now.toString();
    }

    /**
     * The Service the generator sends to: a NodePort that kind maps to the host. Its selector starts on every pod of
     * the app; blue-green narrows it to one version.
     */
    public io.fabric8.kubernetes.api.model.Service mainService() {
        return new ServiceBuilder().withMetadata(meta(app()))
            .withNewSpec().withType("NodePort").withSelector(selector(null))
            .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString(CONTAINER_PORT))
            .withNodePort(scenario.kubernetes().nodePort()).endPort()
            .endSpec().build();
    }

    /** A cluster-internal Service of one version: blue-green's preview, and the backends of a mesh or gateway. */
    public io.fabric8.kubernetes.api.model.Service versionService(String name, String version) {
        return new ServiceBuilder().withMetadata(meta(name))
            .withNewSpec().withType("ClusterIP").withSelector(selector(version))
            .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString(CONTAINER_PORT))
            .endPort()
            .endSpec().build();
    }

    /** The canary's two Services and the mesh or gateway route between them. */
    public TrafficSplit trafficSplit() {
        Kubernetes k = scenario.kubernetes();
        return new TrafficSplit(namespace, app(), stableVersion(), candidateVersion(), runLabels(), k.gatewayName(),
            k.gatewayNamespace());
    }

    /** The run's pods as Chaos Mesh selects them, and the port and request path HTTP faults intercept. */
    public RunPods runPods() {
        VersionSpec candidate = scenario.service().candidate();
        URI url = scenario.kubernetes().serviceUrl();
        String path = url == null || url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return new RunPods(namespace, app(), stableVersion(), candidate == null ? null : candidate.version(),
            CONTAINER_PORT, path);
    }

    public String previewServiceName() {
        return KubernetesNames.previewService(app());
    }

    /** Pods of the app, of one version when {@code version} is given. */
    public Map<String, String> selector(String version) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(APP_LABEL, app());
        selector.put(ChaosMeta.RUN_ID_LABEL, runId);
        if (version != null) {
            selector.put(VERSION_LABEL, version);
        }
        return selector;
    }

    public VersionSpec versionSpec(String version) {
        Service service = scenario.service();
        if (service.candidate() != null && service.candidate().version().equals(version)) {
            return service.candidate();
        }
        if (service.stable().version().equals(version)) {
            return service.stable();
        }
        throw new IllegalArgumentException("version " + version + " is neither the stable nor the candidate version");
    }

    private ObjectMeta meta(String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(runLabels()).build();
    }

    private static IntOrString intOrPercent(String value) {
        return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
    }

    /** Whole seconds, rounded up, for fields Kubernetes takes in seconds. */
    private static int seconds(Duration d) {
        return (int) Math.max(d.isZero() ? 0 : 1, (d.toMillis() + 999) / 1000);
    }
}
