package dev.rolloutlab.nodeagent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment as the kubelet builds it (plain values and the downward API's pod fields), and the
 * {@code $(VAR)} references in its args expanded from it: {@code $(VAR)} of a defined variable is its value,
 * {@code $$} is a literal {@code $}, anything else stays as written.
 */
record ContainerEnv(Map<String, String> values) {
    static ContainerEnv of(Pod pod, Container container, String podIp, String hostIp) {
        Map<String, String> values = new LinkedHashMap<>();
        for (EnvVar e : container.getEnv()) {
            if (e.getValue() != null) {
                values.put(e.getName(), expand(e.getValue(), values));
            } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
                String field = e.getValueFrom().getFieldRef().getFieldPath();
                String value = switch (field) {
                    case "metadata.name" -> pod.getMetadata().getName();
                    case "metadata.namespace" -> pod.getMetadata().getNamespace();
                    case "metadata.uid" -> pod.getMetadata().getUid();
                    case "spec.nodeName" -> pod.getSpec().getNodeName();
                    case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
                    case "status.podIP" -> podIp;
                    case "status.hostIP" -> hostIp;
                    default -> null; // labels, annotations: not needed by rollout-lab's pods
                };
                if (value != null) {
                    values.put(e.getName(), value);
                }
            }
        }
        return new ContainerEnv(values);
    }

    List<String> expand(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        args.forEach(a -> out.add(expand(a, values)));
        return out;
    }

    static String expand(String text, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length()) {
                char n = text.charAt(i + 1);
                if (n == '$') {
                    out.append('$');
                    i++;
                    continue;
                }
                int close = n == '(' ? text.indexOf(')', i + 2) : -1;
                if (close > 0 && values.containsKey(text.substring(i + 2, close))) {
                    out.append(values.get(text.substring(i + 2, close)));
                    i = close;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
